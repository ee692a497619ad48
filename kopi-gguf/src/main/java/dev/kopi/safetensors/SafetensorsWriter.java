package dev.kopi.safetensors;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.gguf.DataSink;
import dev.kopi.gguf.FileSink;

/**
 * Writes a safetensors file: the 8-byte header length, the JSON header (padded with spaces to a multiple of 8
 * bytes, as the reference writer does), then each tensor's bytes in declaration order, streamed from its source.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .putMetadata("format", "pt")
 *     .addTensor("lm_head.weight", SafetensorsDType.BF16, new long[] {vocab, hidden}, sink -> ...)
 *     .write(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Declared(SafetensorsDType dtype, long[] shape, long bytes, DataSink.Source source) {}

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Declared> tensors = new LinkedHashMap<>();

    /** Adds an entry to {@code __metadata__}. */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Declares a tensor whose bytes {@code source} writes when {@link #write} reaches it.
     *
     * @param shape row-major dimensions, slowest first (PyTorch order)
     * @throws IllegalArgumentException for a duplicate or reserved name or a negative dimension
     */
    public SafetensorsWriter addTensor(String name, SafetensorsDType dtype, long[] shape, DataSink.Source source) {
        if (name.equals("__metadata__") || tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or already used");
        }
        long elements = 1;
        for (long n : shape) {
            if (n < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, n);
        }
        tensors.put(name, new Declared(dtype, shape.clone(), Math.multiplyExact(elements, (long) dtype.byteSize()),
                source));
        return this;
    }

    public SafetensorsWriter addTensor(String name, SafetensorsDType dtype, long[] shape, byte[] data) {
        return addTensor(name, dtype, shape, sink -> sink.write(ByteBuffer.wrap(data)));
    }

    public SafetensorsWriter addTensor(String name, SafetensorsDType dtype, long[] shape, MemorySegment data) {
        return addTensor(name, dtype, shape, sink -> sink.write(data));
    }

    /**
     * Writes the file, streaming each tensor from its source.
     *
     * @throws IllegalStateException if a source writes more or fewer bytes than its tensor takes
     * @throws IOException if writing fails; the partial file is deleted in either case
     */
    public void write(Path path) throws IOException {
        byte[] header = header();
        try (FileSink out = FileSink.create(path)) {
            out.u64(header.length);
            out.write(header);
            for (Map.Entry<String, Declared> e : tensors.entrySet()) {
                out.writeExactly(e.getValue().bytes(), e.getValue().source(), "tensor '" + e.getKey() + "'");
            }
            out.complete();
        }
    }

    private byte[] header() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Declared> e : tensors.entrySet()) {
            Declared t = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype().name());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            node.putArray("data_offsets").add(offset).add(offset + t.bytes());
            offset += t.bytes();
        }
        String json = JSON.writeValueAsString(root);
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return (json + " ".repeat((8 - length % 8) % 8)).getBytes(StandardCharsets.UTF_8);
    }
}
