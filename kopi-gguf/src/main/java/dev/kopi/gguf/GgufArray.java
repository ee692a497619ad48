package dev.kopi.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A metadata array of a GGUF file: a lazy view of the mapped bytes, validated when the file was opened.
 *
 * <p>Nothing is copied until a {@code to...Array()} method runs; each call decodes afresh, in one pass, so a
 * 262,144-entry {@code tokenizer.ggml.tokens} costs one walk over its bytes. Arrays of fixed-size elements
 * allow random access in O(1), arrays of strings or arrays in O(index). The view is valid only while its
 * {@link GgufFile} is open; copy what you need before closing it.
 */
public final class GgufArray {
    /** Arrays nested deeper than this are rejected: ggml itself reads no nested arrays at all. */
    static final int MAX_NESTING = 16;

    private final String source;
    private final String key;
    private final MemorySegment segment;
    private final GgufValueType elementType;
    private final long length;
    private final long offset;
    private final long byteSize;

    private GgufArray(String source, String key, MemorySegment segment, GgufValueType elementType,
                      long length, long offset, long byteSize) {
        this.source = source;
        this.key = key;
        this.segment = segment;
        this.elementType = elementType;
        this.length = length;
        this.offset = offset;
        this.byteSize = byteSize;
    }

    /**
     * Reads an array's element type and count at the cursor, checks that all its elements lie within the file,
     * and leaves the cursor after the array.
     */
    static GgufArray read(ByteCursor cursor, String source, String key, int depth) {
        if (depth > MAX_NESTING) {
            throw new GgufFormatException(source + ": metadata key '" + key + "' nests arrays deeper than "
                    + MAX_NESTING + " levels");
        }
        int typeId = cursor.u32("element type of array '" + key + "'");
        GgufValueType type;
        try {
            type = GgufValueType.fromId(typeId);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(source + ": metadata key '" + key + "' is an array of " + e.getMessage());
        }
        long count = cursor.u64("length of array '" + key + "'");
        long start = cursor.position();
        String what = "array '" + key + "' of " + Long.toUnsignedString(count) + " " + type.displayName();
        if (type.fixedSize() > 0) {
            if (count < 0 || count > cursor.remaining() / type.fixedSize()) {
                cursor.require(-1, what);
            }
            cursor.skip(count * type.fixedSize(), what);
        } else {
            // Each string needs at least its 8-byte length, each nested array 12 bytes of header: check the count
            // against the bytes left before walking, so a hostile count fails at once instead of looping.
            int minimum = type == GgufValueType.STRING ? 8 : 12;
            if (count < 0 || count > cursor.remaining() / minimum) {
                cursor.require(-1, what);
            }
            for (long i = 0; i < count; i++) {
                if (type == GgufValueType.STRING) {
                    cursor.skipString("element " + i + " of array '" + key + "'");
                } else {
                    read(cursor, source, key, depth + 1);
                }
            }
        }
        return new GgufArray(source, key, cursor.segment(), type, count, start, cursor.position() - start);
    }

    /** The type of the elements. */
    public GgufValueType elementType() {
        return elementType;
    }

    /** The number of elements. */
    public long length() {
        return length;
    }

    /** The metadata key this array belongs to (for nested arrays, the key of the outermost one). */
    public String key() {
        return key;
    }

    /** Bytes the elements take in the file. */
    public long byteSize() {
        return byteSize;
    }

    /**
     * Element {@code index}, boxed as {@link GgufMetadata#get} does: integers as {@code Long} (uint64 as its
     * two's-complement bits), FLOAT32 as {@code Float}, FLOAT64 as {@code Double}, BOOL as {@code Boolean},
     * STRING as {@code String}, ARRAY as {@code GgufArray}.
     */
    public Object get(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " of array '" + key + "' of length " + length);
        }
        if (elementType.fixedSize() > 0) {
            return GgufMetadata.readScalar(segment, offset + index * elementType.fixedSize(), elementType);
        }
        ByteCursor cursor = new ByteCursor(segment, source, offset);
        for (long i = 0; i < index; i++) {
            skipElement(cursor);
        }
        return elementType == GgufValueType.STRING
                ? cursor.string("element " + index + " of '" + key + "'")
                : read(cursor, source, key, 1);
    }

    /** All elements as strings. */
    public String[] toStringArray() {
        expect(GgufValueType.STRING);
        String[] strings = new String[javaLength()];
        long position = offset;
        byte[] buffer = new byte[256];
        for (int i = 0; i < strings.length; i++) {
            long length = segment.get(ByteCursor.U64, position);
            if (length > Integer.MAX_VALUE - 16) {
                throw new GgufFormatException(source + ": element " + i + " of metadata array '" + key
                        + "' of " + length + " bytes is too long for a string");
            }
            int size = (int) length;
            position += 8;
            if (size > buffer.length) {
                buffer = new byte[Math.max(size, buffer.length * 2)];
            }
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, buffer, 0, size);
            strings[i] = new String(buffer, 0, size, java.nio.charset.StandardCharsets.UTF_8);
            position += size;
        }
        return strings;
    }

    /** All elements as floats; the array must be of FLOAT32 (or FLOAT64, narrowed). */
    public float[] toFloatArray() {
        float[] values = new float[javaLength()];
        if (elementType == GgufValueType.FLOAT32) {
            MemorySegment.copy(segment, ByteCursor.F32, offset, values, 0, values.length);
        } else if (elementType == GgufValueType.FLOAT64) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) segment.get(ByteCursor.F64, offset + 8L * i);
            }
        } else {
            throw typeMismatch("float32");
        }
        return values;
    }

    /** All elements as doubles; the array must be of FLOAT32 or FLOAT64. */
    public double[] toDoubleArray() {
        double[] values = new double[javaLength()];
        if (elementType == GgufValueType.FLOAT64) {
            MemorySegment.copy(segment, ByteCursor.F64, offset, values, 0, values.length);
        } else if (elementType == GgufValueType.FLOAT32) {
            for (int i = 0; i < values.length; i++) {
                values[i] = segment.get(ByteCursor.F32, offset + 4L * i);
            }
        } else {
            throw typeMismatch("float64");
        }
        return values;
    }

    /** All elements as ints; the array must be of an integer type and every value must fit an int. */
    public int[] toIntArray() {
        int[] values = new int[javaLength()];
        if (elementType == GgufValueType.INT32 || elementType == GgufValueType.UINT32 && fitsInt()) {
            MemorySegment.copy(segment, ByteCursor.U32, offset, values, 0, values.length);
            return values;
        }
        requireInteger("int32");
        for (int i = 0; i < values.length; i++) {
            long v = integerAt(i);
            if (v != (int) v) {
                throw new GgufFormatException(source + ": element " + i + " of metadata array '" + key + "' ("
                        + unsignedAware(v) + ") does not fit an int32");
            }
            values[i] = (int) v;
        }
        return values;
    }

    /** All elements as longs; the array must be of an integer type (uint64 values above 2^63-1 are rejected). */
    public long[] toLongArray() {
        requireInteger("int64");
        long[] values = new long[javaLength()];
        for (int i = 0; i < values.length; i++) {
            long v = integerAt(i);
            if (elementType == GgufValueType.UINT64 && v < 0) {
                throw new GgufFormatException(source + ": element " + i + " of metadata array '" + key + "' ("
                        + Long.toUnsignedString(v) + ") does not fit an int64");
            }
            values[i] = v;
        }
        return values;
    }

    /** All elements as booleans; the array must be of BOOL (any non-zero byte is true). */
    public boolean[] toBooleanArray() {
        expect(GgufValueType.BOOL);
        boolean[] values = new boolean[javaLength()];
        for (int i = 0; i < values.length; i++) {
            values[i] = segment.get(ValueLayout.JAVA_BYTE, offset + i) != 0;
        }
        return values;
    }

    /** All elements boxed as {@link #get} boxes them; nested arrays stay {@code GgufArray} views. */
    public List<Object> toList() {
        List<Object> list = new ArrayList<>(javaLength());
        ByteCursor cursor = new ByteCursor(segment, source, offset);
        for (long i = 0; i < length; i++) {
            if (elementType.fixedSize() > 0) {
                list.add(GgufMetadata.readScalar(segment, cursor.position(), elementType));
                cursor.skip(elementType.fixedSize(), "element");
            } else if (elementType == GgufValueType.STRING) {
                list.add(cursor.string("element " + i + " of '" + key + "'"));
            } else {
                list.add(read(cursor, source, key, 1));
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return "[" + length + " " + elementType.displayName() + "]";
    }

    private void skipElement(ByteCursor cursor) {
        if (elementType == GgufValueType.STRING) {
            cursor.skipString("element of '" + key + "'");
        } else {
            read(cursor, source, key, 1);
        }
    }

    private long integerAt(int i) {
        return (Long) GgufMetadata.readScalar(segment, offset + (long) i * elementType.fixedSize(), elementType);
    }

    private boolean fitsInt() {
        for (long i = 0; i < length; i++) {
            if (segment.get(ByteCursor.U32, offset + 4 * i) < 0) {
                return false;
            }
        }
        return true;
    }

    private int javaLength() {
        if (length > Integer.MAX_VALUE - 16) {
            throw new GgufFormatException(source + ": metadata array '" + key + "' of " + length
                    + " elements is too long for a Java array");
        }
        return (int) length;
    }

    private void expect(GgufValueType type) {
        if (elementType != type) {
            throw typeMismatch(type.displayName());
        }
    }

    private void requireInteger(String expected) {
        if (!elementType.isInteger()) {
            throw typeMismatch(expected);
        }
    }

    private String unsignedAware(long v) {
        return elementType == GgufValueType.UINT64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    private GgufFormatException typeMismatch(String expected) {
        return new GgufFormatException(source + ": metadata key '" + key + "' is an array of "
                + elementType.displayName() + ", expected an array of " + expected);
    }
}
