package dev.kopi.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.kopi.gguf.TensorFile;

/**
 * A safetensors file, or a sharded checkpoint ({@code model.safetensors.index.json} with its
 * {@code weight_map}), memory-mapped and validated.
 *
 * <pre>{@code
 * try (SafetensorsFile st = SafetensorsFile.open(Path.of("model-folder"))) {
 *     SafetensorsTensor q = st.tensor("model.layers.0.self_attn.q_proj.weight");
 *     long[] shape = q.shape();        // row-major, as PyTorch: [out_features, in_features]
 *     MemorySegment bytes = q.data();  // zero copy, little-endian
 * }
 * }</pre>
 *
 * <p><b>Validation.</b> The header length must fit the file (and HF's 100 MB limit); the header must be a JSON
 * object without duplicate keys; each tensor needs a known {@code dtype}, a {@code shape} of non-negative
 * integers and {@code data_offsets} [begin, end] whose span equals shape × dtype size; together the tensors
 * must tile the data section exactly, without overlap or gap. A sharded checkpoint's index must name existing
 * shard files beside it, and each shard must hold exactly the tensors the index maps to it. Anything wrong ends
 * in a {@link SafetensorsFormatException} naming the file and the problem.
 */
public final class SafetensorsFile implements TensorFile {
    /** The index file name of a sharded checkpoint. */
    public static final String INDEX_NAME = "model.safetensors.index.json";
    /** The file name of an unsharded checkpoint in a model folder. */
    public static final String SINGLE_NAME = "model.safetensors";
    /** Headers larger than this are refused, as by the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Arena arena;
    private final List<Path> files;
    private final Map<String, String> metadata;
    private final List<SafetensorsTensor> tensors;
    private final Map<String, SafetensorsTensor> byName;
    private final Path source;

    private SafetensorsFile(Arena arena, Path source, List<Path> files, Map<String, String> metadata,
                            List<SafetensorsTensor> tensors) {
        this.arena = arena;
        this.source = source;
        this.files = List.copyOf(files);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = List.copyOf(tensors);
        Map<String, SafetensorsTensor> names = new HashMap<>();
        for (SafetensorsTensor t : tensors) {
            SafetensorsTensor previous = names.putIfAbsent(t.name(), t);
            if (previous != null) {
                throw new SafetensorsFormatException(t.file() + ": tensor '" + t.name() + "' is also in "
                        + previous.file().getFileName());
            }
        }
        this.byName = names;
    }

    /**
     * Opens a {@code .safetensors} file, a {@code model.safetensors.index.json} (and all its shards), or a
     * folder holding either.
     *
     * @throws SafetensorsFormatException if a file is malformed or a shard is missing
     * @throws IOException if a file cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_NAME);
            Path single = path.resolve(SINGLE_NAME);
            if (Files.exists(index)) {
                path = index;
            } else if (Files.exists(single)) {
                path = single;
            } else {
                throw new SafetensorsFormatException(path + ": folder holds neither " + INDEX_NAME + " nor "
                        + SINGLE_NAME);
            }
        }
        Arena arena = Arena.ofShared();
        try {
            if (path.getFileName().toString().endsWith(".json")) {
                return openIndex(path, arena);
            }
            Shard shard = parse(path, arena);
            return new SafetensorsFile(arena, path, List.of(path), shard.metadata(), shard.tensors());
        } catch (RuntimeException | IOException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** {@code __metadata__} of the (first) file: string keys and values, in header order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors: file by file, and within a file by data offset. */
    @Override
    public List<SafetensorsTensor> tensors() {
        return tensors;
    }

    @Override
    public Optional<SafetensorsTensor> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * @throws SafetensorsFormatException naming the tensor and the file if there is no such tensor
     */
    @Override
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = byName.get(name);
        if (t == null) {
            throw new SafetensorsFormatException(source + ": no tensor named '" + name + "' (the checkpoint has "
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    /** The data files: one, or each shard in index order. */
    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public void close() {
        arena.close();
    }

    private record Shard(Map<String, String> metadata, List<SafetensorsTensor> tensors) {}

    private static SafetensorsFile openIndex(Path index, Arena arena) throws IOException {
        long size = Files.size(index);
        if (size > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(index + ": index of " + size + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        JsonNode root = readJson(index, Files.readAllBytes(index), "index");
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsFormatException(index + ": index has no \"weight_map\" object");
        }
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
            JsonNode shardName = e.getValue();
            if (!shardName.isTextual()) {
                throw new SafetensorsFormatException(index + ": weight_map entry '" + e.getKey()
                        + "' is not a file name");
            }
            String name = shardName.asText();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) {
                throw new SafetensorsFormatException(index + ": weight_map names shard '" + name
                        + "', which is not a plain file name beside the index");
            }
            expected.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(e.getKey());
        }
        if (expected.isEmpty()) {
            throw new SafetensorsFormatException(index + ": weight_map is empty");
        }
        List<Path> files = new ArrayList<>();
        List<SafetensorsTensor> tensors = new ArrayList<>();
        Map<String, String> metadata = null;
        for (String shardName : expected.keySet()) {
            Path shardPath = index.resolveSibling(shardName);
            if (!Files.exists(shardPath)) {
                throw new SafetensorsFormatException(index + ": shard " + shardName + " is missing (expected at "
                        + shardPath + ")");
            }
        }
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            Path shardPath = index.resolveSibling(e.getKey());
            Shard shard = parse(shardPath, arena);
            Set<String> present = new LinkedHashSet<>();
            for (SafetensorsTensor t : shard.tensors()) {
                present.add(t.name());
                if (!e.getValue().contains(t.name())) {
                    throw new SafetensorsFormatException(shardPath + ": tensor '" + t.name()
                            + "' is not mapped to this shard by " + index.getFileName());
                }
            }
            for (String name : e.getValue()) {
                if (!present.contains(name)) {
                    throw new SafetensorsFormatException(index + ": tensor '" + name + "' is mapped to "
                            + e.getKey() + ", which does not hold it");
                }
            }
            if (metadata == null) {
                metadata = shard.metadata();
            }
            files.add(shardPath);
            tensors.addAll(shard.tensors());
        }
        return new SafetensorsFile(arena, index, files, metadata, tensors);
    }

    private static Shard parse(Path path, Arena arena) throws IOException {
        MemorySegment segment;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
        long size = segment.byteSize();
        if (size < 8) {
            throw new SafetensorsFormatException(path + ": file truncated: " + size
                    + " bytes, too short for the 8-byte header length");
        }
        long headerLength = segment.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 0 || headerLength > size - 8) {
            throw new SafetensorsFormatException(path + ": header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the file (size " + size + ")");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(path + ": header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        byte[] header = segment.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root = readJson(path, header, "header");
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode node = e.getValue();
            if (name.equals("__metadata__")) {
                readMetadata(path, node, metadata);
                continue;
            }
            String what = path + ": tensor '" + name + "'";
            if (!node.isObject()) {
                throw new SafetensorsFormatException(what + " is not a JSON object");
            }
            JsonNode dtypeNode = node.get("dtype");
            if (dtypeNode == null || !dtypeNode.isTextual()) {
                throw new SafetensorsFormatException(what + " has no dtype");
            }
            SafetensorsDType dtype = SafetensorsDType.fromName(dtypeNode.asText()).orElseThrow(() ->
                    new SafetensorsFormatException(what + " has unknown or unsupported dtype '" + dtypeNode.asText()
                            + "'"));
            long[] shape = longs(node.get("shape"), -1, what, "shape");
            long[] offsets = longs(node.get("data_offsets"), 2, what, "data_offsets");
            long elements = 1;
            for (long n : shape) {
                elements = multiply(elements, n, what, shape);
            }
            long bytes = multiply(elements, dtype.byteSize(), what, shape);
            if (offsets[1] < offsets[0]) {
                throw new SafetensorsFormatException(what + " data_offsets " + Arrays.toString(offsets)
                        + " end before they begin");
            }
            if (offsets[1] > dataSize) {
                throw new SafetensorsFormatException(what + " data_offsets " + Arrays.toString(offsets)
                        + " lie past the end of the data section (" + dataSize + " bytes)");
            }
            if (offsets[1] - offsets[0] != bytes) {
                throw new SafetensorsFormatException(what + " of shape " + Arrays.toString(shape) + " and dtype "
                        + dtype + " takes " + bytes + " bytes but its data_offsets " + Arrays.toString(offsets)
                        + " span " + (offsets[1] - offsets[0]));
            }
            tensors.add(new SafetensorsTensor(name, dtype, shape, elements, offsets[0], path,
                    segment.asSlice(dataStart + offsets[0], bytes)));
        }
        tensors.sort(Comparator.comparingLong(SafetensorsTensor::dataOffset)
                .thenComparingLong(SafetensorsTensor::byteSize));
        long covered = 0;
        SafetensorsTensor previous = null;
        for (SafetensorsTensor t : tensors) {
            if (t.dataOffset() < covered) {
                throw new SafetensorsFormatException(path + ": tensor '" + t.name() + "' data [" + t.dataOffset()
                        + ".." + (t.dataOffset() + t.byteSize()) + ") overlaps tensor '" + previous.name() + "' ["
                        + previous.dataOffset() + ".." + covered + ")");
            }
            if (t.dataOffset() > covered) {
                throw new SafetensorsFormatException(path + ": data bytes [" + covered + ".." + t.dataOffset()
                        + ") belong to no tensor");
            }
            covered = t.dataOffset() + t.byteSize();
            previous = t;
        }
        if (covered != dataSize) {
            throw new SafetensorsFormatException(path + ": data bytes [" + covered + ".." + dataSize
                    + ") belong to no tensor");
        }
        return new Shard(metadata, tensors);
    }

    private static JsonNode readJson(Path path, byte[] json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            throw new SafetensorsFormatException(path + ": " + what + " is not valid JSON: "
                    + (message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("")), e);
        } catch (IOException e) {
            throw new SafetensorsFormatException(path + ": " + what + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(path + ": " + what + " is not a JSON object");
        }
        return root;
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(path + ": __metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new SafetensorsFormatException(path + ": __metadata__ value of '" + m.getKey()
                        + "' is not a string");
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    /** A JSON array of non-negative integers that fit a long; {@code length} -1 for any length. */
    private static long[] longs(JsonNode node, int length, String what, String field) {
        if (node == null || !node.isArray() || length >= 0 && node.size() != length) {
            throw new SafetensorsFormatException(what + " has no valid " + field
                    + (length >= 0 ? " (an array of " + length + " integers)" : " (an array of integers)"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new SafetensorsFormatException(what + " " + field + " " + node
                        + " holds a value that is not a non-negative 64-bit integer");
            }
            values[i] = v.asLong();
        }
        return values;
    }

    private static long multiply(long a, long b, String what, long[] shape) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(what + " shape " + Arrays.toString(shape) + " is too large");
        }
    }
}
