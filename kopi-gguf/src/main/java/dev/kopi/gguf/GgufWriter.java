package dev.kopi.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF version 3 file: metadata, tensor infos, then each tensor's data, aligned.
 *
 * <p>Tensors are declared with their type, dimensions (ggml order, {@code ne[0]} fastest) and a source of
 * their bytes; {@link #write(Path)} then streams the file in one pass, calling each source in turn, so a
 * model of any size is written tensor by tensor without being held in memory:
 *
 * <pre>{@code
 * new GgufWriter()
 *     .putString("general.architecture", "llama")
 *     .putUint32("llama.context_length", 4096)
 *     .addTensor("token_embd.weight", GgmlType.F32, new long[] {4096, 32000},
 *                sink -> { for (...) sink.write(chunk); })
 *     .write(Path.of("model.gguf"));
 * }</pre>
 *
 * <p>Data is aligned to {@code general.alignment} if it was put (a uint32 power of two), else to 32 bytes;
 * each tensor is padded to the alignment, as ggml writes it. Keys and tensor names must be unique; tensor
 * names must be shorter than 64 UTF-8 bytes, ggml's limit. A failed write deletes the partial file.
 */
public final class GgufWriter {
    /** ggml's GGML_MAX_NAME, counting the terminating NUL. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;

    /** An array value to put: its element type and elements (nested arrays are {@code ArrayValue}s too). */
    public record ArrayValue(GgufValueType elementType, List<?> elements) {
        public ArrayValue {
            elements = List.copyOf(elements);
        }
    }

    private record Value(GgufValueType type, Object value) {}

    private record Declared(String name, GgmlType type, long[] ne, long bytes, DataSink.Source source) {}

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final Map<String, Declared> tensors = new LinkedHashMap<>();

    /**
     * Puts a value of any type: integers as any {@link Number} (checked against the type's range; uint64 takes
     * a long's bits), floats as {@link Number}, BOOL as {@link Boolean}, STRING as {@link String}, ARRAY as an
     * {@link ArrayValue} or a {@link GgufArray} read from another file. A key put twice keeps its first
     * position and takes the new value.
     *
     * @throws IllegalArgumentException if the value does not suit the type, or alignment is not a uint32 power of two
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("metadata keys must not be empty");
        }
        checkValue(key, type, value, 0);
        if (key.equals(GgufFile.KEY_ALIGNMENT)) {
            long alignment = type == GgufValueType.UINT32 ? ((Number) value).longValue() : -1;
            if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > 1 << 30) {
                throw new IllegalArgumentException(GgufFile.KEY_ALIGNMENT
                        + " must be a uint32 power of two up to 2^30, not " + type.displayName() + " " + value);
            }
        }
        metadata.put(key, new Value(type, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putUint8(String key, int value) {
        return put(key, GgufValueType.UINT8, value);
    }

    public GgufWriter putInt8(String key, int value) {
        return put(key, GgufValueType.INT8, value);
    }

    public GgufWriter putUint16(String key, int value) {
        return put(key, GgufValueType.UINT16, value);
    }

    public GgufWriter putInt16(String key, int value) {
        return put(key, GgufValueType.INT16, value);
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    /** A uint64 value: {@code value}'s bits, so values above 2^63-1 are passed as negative longs. */
    public GgufWriter putUint64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putInt64(String key, long value) {
        return put(key, GgufValueType.INT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, GgufValueType.FLOAT64, value);
    }

    public GgufWriter putArray(String key, GgufValueType elementType, List<?> elements) {
        return put(key, GgufValueType.ARRAY, new ArrayValue(elementType, elements));
    }

    public GgufWriter putStringArray(String key, List<String> values) {
        return putArray(key, GgufValueType.STRING, values);
    }

    public GgufWriter putFloat32Array(String key, float[] values) {
        List<Float> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return putArray(key, GgufValueType.FLOAT32, boxed);
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        return putArray(key, GgufValueType.INT32, Arrays.stream(values).boxed().toList());
    }

    /** Copies every key of {@code source} with its type; arrays are read from {@code source}'s open file now. */
    public GgufWriter putAll(GgufMetadata source) {
        for (String key : source.keys()) {
            GgufMetadata.Entry e = source.entry(key);
            put(key, e.type(), e.value());
        }
        return this;
    }

    /**
     * Declares a tensor whose bytes {@code source} writes when {@link #write} reaches it.
     *
     * @param ne dimensions in ggml order, {@code ne[0]} the row length; 0 to 4 of them
     * @throws IllegalArgumentException for a duplicate or too long name, or a shape the type cannot hold
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] ne, DataSink.Source source) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' must have 1 to " + MAX_TENSOR_NAME_BYTES
                    + " UTF-8 bytes");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        if (ne.length > GgufFile.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + ne.length + " dimensions; at most "
                    + GgufFile.MAX_DIMS);
        }
        long elements = 1;
        for (long n : ne) {
            if (n < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: "
                        + Arrays.toString(ne));
            }
            elements = Math.multiplyExact(elements, n);
        }
        if (ne.length > 0 && ne[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' row length " + ne[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        tensors.put(name, new Declared(name, type, ne.clone(), type.byteSize(elements), source));
        return this;
    }

    /** Declares a tensor whose bytes are {@code data} (read when the file is written). */
    public GgufWriter addTensor(String name, GgmlType type, long[] ne, MemorySegment data) {
        return addTensor(name, type, ne, sink -> sink.write(data));
    }

    /** Declares a tensor whose bytes are {@code data} (read when the file is written). */
    public GgufWriter addTensor(String name, GgmlType type, long[] ne, byte[] data) {
        return addTensor(name, type, ne, sink -> sink.write(ByteBuffer.wrap(data)));
    }

    /** The alignment the data will have: {@code general.alignment} if put, else 32. */
    public int alignment() {
        Value v = metadata.get(GgufFile.KEY_ALIGNMENT);
        return v == null ? GgufFile.DEFAULT_ALIGNMENT : ((Number) v.value()).intValue();
    }

    /**
     * Writes the file, streaming each tensor's bytes from its source in declaration order.
     *
     * @throws IllegalStateException if a source writes more or fewer bytes than its tensor takes
     * @throws IOException if writing fails; the partial file is deleted in either case
     */
    public void write(Path path) throws IOException {
        int alignment = alignment();
        try (FileSink out = FileSink.create(path)) {
            out.u32(GgufFile.MAGIC);
            out.u32(3);
            out.u64(tensors.size());
            out.u64(metadata.size());
            for (Map.Entry<String, Value> e : metadata.entrySet()) {
                out.ggufString(e.getKey());
                out.u32(e.getValue().type().id());
                writeValue(out, e.getValue().type(), e.getValue().value());
            }
            long offset = 0;
            for (Declared t : tensors.values()) {
                out.ggufString(t.name());
                out.u32(t.ne().length);
                for (long n : t.ne()) {
                    out.u64(n);
                }
                out.u32(t.type().id());
                out.u64(offset);
                offset = GgufFile.alignUp(offset + t.bytes(), alignment);
            }
            if (!tensors.isEmpty()) {
                out.padTo(alignment);
            }
            for (Declared t : tensors.values()) {
                out.writeExactly(t.bytes(), t.source(), "tensor '" + t.name() + "'");
                out.padTo(alignment);
            }
            out.complete();
        }
    }

    private static void writeValue(FileSink out, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8, BOOL -> out.u8(type == GgufValueType.BOOL ? ((Boolean) value ? 1 : 0)
                    : ((Number) value).intValue());
            case UINT16, INT16 -> out.u16(((Number) value).intValue());
            case UINT32, INT32 -> out.u32((int) ((Number) value).longValue());
            case UINT64, INT64 -> out.u64(((Number) value).longValue());
            case FLOAT32 -> out.f32(((Number) value).floatValue());
            case FLOAT64 -> out.f64(((Number) value).doubleValue());
            case STRING -> out.ggufString((String) value);
            case ARRAY -> {
                GgufValueType elementType = value instanceof GgufArray a ? a.elementType() : ((ArrayValue) value).elementType();
                List<?> elements = value instanceof GgufArray a ? a.toList() : ((ArrayValue) value).elements();
                out.u32(elementType.id());
                out.u64(elements.size());
                for (Object element : elements) {
                    if (elementType == GgufValueType.ARRAY && element instanceof GgufArray nested) {
                        writeValue(out, GgufValueType.ARRAY, nested);
                    } else {
                        writeValue(out, elementType, element);
                    }
                }
            }
        }
    }

    private static void checkValue(String key, GgufValueType type, Object value, int depth) {
        String what = "metadata key '" + key + "'";
        boolean ok = switch (type) {
            case UINT8 -> inRange(value, 0, 0xFF);
            case INT8 -> inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> inRange(value, 0, 0xFFFF);
            case INT16 -> inRange(value, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> inRange(value, 0, 0xFFFF_FFFFL);
            case INT32 -> inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT64, INT64 -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte;
            case FLOAT32, FLOAT64 -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> value instanceof GgufArray || value instanceof ArrayValue;
        };
        if (!ok) {
            throw new IllegalArgumentException(what + ": " + (value == null ? "null" : value.getClass().getSimpleName()
                    + " " + value) + " is not a valid " + type.displayName());
        }
        if (value instanceof ArrayValue array) {
            if (depth >= GgufArray.MAX_NESTING) {
                throw new IllegalArgumentException(what + " nests arrays deeper than " + GgufArray.MAX_NESTING);
            }
            for (Object element : array.elements()) {
                checkValue(key, array.elementType(), element, depth + 1);
            }
        }
    }

    private static boolean inRange(Object value, long min, long max) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            return false;
        }
        long v = ((Number) value).longValue();
        return v >= min && v <= max;
    }
}
