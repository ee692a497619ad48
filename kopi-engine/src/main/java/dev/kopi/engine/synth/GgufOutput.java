package dev.kopi.engine.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kopi.gguf.GgmlType;

/**
 * A GGUF v3 file written front to back: metadata and tensor directory first, then each tensor's bytes in order,
 * streamed, so files far larger than memory can be written.
 */
final class GgufOutput {
    private static final int ALIGNMENT = 32;

    /** GGUF metadata value types. */
    private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;

    /** A tensor to be written: its bytes are produced when the writer reaches it. */
    interface TensorData {
        void writeTo(FileChannel out) throws IOException;
    }

    private record Entry(String name, long[] dims, GgmlType type, long byteSize, TensorData data) {}

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Entry> tensors = new ArrayList<>();

    void putUInt32(String key, int value) {
        metadata.put(key, new Typed(UINT32, value));
    }

    void putFloat32(String key, float value) {
        metadata.put(key, new Typed(FLOAT32, value));
    }

    void putBool(String key, boolean value) {
        metadata.put(key, new Typed(BOOL, value));
    }

    void putString(String key, String value) {
        metadata.put(key, new Typed(STRING, value));
    }

    void putStrings(String key, List<String> values) {
        metadata.put(key, new Typed(ARRAY, new Array(STRING, values)));
    }

    void putInt32s(String key, List<Integer> values) {
        metadata.put(key, new Typed(ARRAY, new Array(INT32, values)));
    }

    void addTensor(String name, long[] dims, GgmlType type, long byteSize, TensorData data) {
        tensors.add(new Entry(name, dims, type, byteSize, data));
    }

    private record Typed(int type, Object value) {}

    private record Array(int elementType, List<?> values) {}

    /** Writes the file; each tensor's data must be exactly its byte size. */
    void write(Path path) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Header header = new Header();
            header.u32(0x46554747).u32(3).u64(tensors.size()).u64(metadata.size());
            for (Map.Entry<String, Object> kv : metadata.entrySet()) {
                header.string(kv.getKey());
                Typed typed = (Typed) kv.getValue();
                header.u32(typed.type());
                header.value(typed.type(), typed.value());
            }
            long offset = 0;
            for (Entry t : tensors) {
                header.string(t.name()).u32(t.dims().length);
                for (long d : t.dims()) {
                    header.u64(d);
                }
                header.u32(t.type().id()).u64(offset);
                offset = align(offset + t.byteSize());
            }
            header.pad();
            header.flush(out);
            long dataStart = out.position();
            long expected = 0;
            for (Entry t : tensors) {
                t.data().writeTo(out);
                long written = out.position() - dataStart - expected;
                if (written != t.byteSize()) {
                    throw new IllegalStateException(t.name() + ": wrote " + written + " bytes, expected " + t.byteSize());
                }
                expected = align(expected + t.byteSize());
                ByteBuffer zeros = ByteBuffer.allocate((int) (expected - (out.position() - dataStart)));
                while (zeros.hasRemaining()) {
                    out.write(zeros);
                }
            }
        }
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** The growing header buffer. */
    private static final class Header {
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        Header u32(int v) {
            room(4);
            buffer.putInt(v);
            return this;
        }

        Header u64(long v) {
            room(8);
            buffer.putLong(v);
            return this;
        }

        Header string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            room(bytes.length);
            buffer.put(bytes);
            return this;
        }

        void value(int type, Object value) {
            switch (type) {
                case UINT32, INT32 -> u32((Integer) value);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) value));
                case BOOL -> {
                    room(1);
                    buffer.put((byte) ((Boolean) value ? 1 : 0));
                }
                case STRING -> string((String) value);
                case ARRAY -> {
                    Array array = (Array) value;
                    u32(array.elementType()).u64(array.values().size());
                    for (Object element : array.values()) {
                        value(array.elementType(), element);
                    }
                }
                default -> throw new IllegalArgumentException("GGUF value type " + type);
            }
        }

        void pad() {
            int padding = (int) (align(buffer.position()) - buffer.position());
            room(padding);
            buffer.put(new byte[padding]);
        }

        void flush(FileChannel out) throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }
}
