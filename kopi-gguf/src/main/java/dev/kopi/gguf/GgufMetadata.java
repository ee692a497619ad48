package dev.kopi.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key-value metadata of a GGUF file, in file order, with typed getters.
 *
 * <p>{@code getX(key)} fails with a {@link GgufFormatException} naming the file, the key and the expected and
 * actual types when the key is missing or its value does not convert; {@code findX(key)} returns empty for a
 * missing key and fails only on a wrong type. Integer getters accept every integer type whose value fits
 * (GGUF writers differ on uint32 versus uint64); float getters accept FLOAT32 and FLOAT64.
 *
 * <p>Scalars are decoded when the file is opened; arrays are lazy {@link GgufArray} views of the mapped file,
 * valid while the file is open. The array getters here copy, so their results outlive the file.
 */
public final class GgufMetadata {
    /** The value of one key: its GGUF type and the boxed value, as {@link #get} describes. */
    record Entry(GgufValueType type, Object value) {}

    private final String source;
    private final Map<String, Entry> entries;

    GgufMetadata(String source, LinkedHashMap<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** The keys, in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** The number of keys. */
    public int size() {
        return entries.size();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The GGUF type of a key's value, or empty if the key is missing. */
    public Optional<GgufValueType> findType(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.type());
    }

    /**
     * The value of {@code key}, boxed: the integer types as {@code Long} (a uint64 above 2^63-1 as its
     * two's-complement bits, see {@link Long#toUnsignedString(long)}), FLOAT32 as {@code Float}, FLOAT64 as
     * {@code Double}, BOOL as {@code Boolean}, STRING as {@code String}, ARRAY as {@link GgufArray}.
     *
     * @throws GgufFormatException if the key is missing
     */
    public Object get(String key) {
        return entry(key).value();
    }

    /** The value of {@code key} boxed as {@link #get} does, or empty if the key is missing. */
    public Optional<Object> find(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    public String getString(String key) {
        return string(key, entry(key));
    }

    public Optional<String> findString(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(string(key, e));
    }

    /** An integer value that fits an int (from any GGUF integer type). */
    public int getInt(String key) {
        return intValue(key, entry(key));
    }

    public OptionalInt findInt(String key) {
        Entry e = entries.get(key);
        return e == null ? OptionalInt.empty() : OptionalInt.of(intValue(key, e));
    }

    /** An integer value that fits a long (from any GGUF integer type; uint64 above 2^63-1 is rejected). */
    public long getLong(String key) {
        return longValue(key, entry(key));
    }

    public OptionalLong findLong(String key) {
        Entry e = entries.get(key);
        return e == null ? OptionalLong.empty() : OptionalLong.of(longValue(key, e));
    }

    /** A FLOAT32 value, or a FLOAT64 one narrowed to float. */
    public float getFloat(String key) {
        return (float) doubleValue(key, entry(key), "float32");
    }

    public Optional<Float> findFloat(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of((float) doubleValue(key, e, "float32"));
    }

    /** A FLOAT64 or FLOAT32 value. */
    public double getDouble(String key) {
        return doubleValue(key, entry(key), "float64");
    }

    public OptionalDouble findDouble(String key) {
        Entry e = entries.get(key);
        return e == null ? OptionalDouble.empty() : OptionalDouble.of(doubleValue(key, e, "float64"));
    }

    public boolean getBool(String key) {
        return boolValue(key, entry(key));
    }

    public Optional<Boolean> findBool(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(boolValue(key, e));
    }

    /** The array view of {@code key}. */
    public GgufArray getArray(String key) {
        return array(key, entry(key));
    }

    public Optional<GgufArray> findArray(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(array(key, e));
    }

    /** An array of strings, decoded in one pass (e.g. {@code tokenizer.ggml.tokens}). */
    public String[] getStringArray(String key) {
        return getArray(key).toStringArray();
    }

    /** An array of FLOAT32 (or FLOAT64) as floats (e.g. {@code tokenizer.ggml.scores}). */
    public float[] getFloatArray(String key) {
        return getArray(key).toFloatArray();
    }

    /** An array of any integer type whose values fit an int (e.g. {@code tokenizer.ggml.token_type}). */
    public int[] getIntArray(String key) {
        return getArray(key).toIntArray();
    }

    /** An array of any integer type as longs. */
    public long[] getLongArray(String key) {
        return getArray(key).toLongArray();
    }

    /** An array of BOOL. */
    public boolean[] getBooleanArray(String key) {
        return getArray(key).toBooleanArray();
    }

    @Override
    public String toString() {
        return "GgufMetadata" + keys();
    }

    Entry entry(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new GgufFormatException(source + ": metadata key '" + key + "' is missing");
        }
        return e;
    }

    /** Reads one fixed-size scalar, boxed as {@link #get} documents. */
    static Object readScalar(MemorySegment s, long offset, GgufValueType type) {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, offset));
            case INT8 -> (long) s.get(ValueLayout.JAVA_BYTE, offset);
            case UINT16 -> (long) Short.toUnsignedInt(s.get(ByteCursor.U16, offset));
            case INT16 -> (long) s.get(ByteCursor.U16, offset);
            case UINT32 -> Integer.toUnsignedLong(s.get(ByteCursor.U32, offset));
            case INT32 -> (long) s.get(ByteCursor.U32, offset);
            case UINT64, INT64 -> s.get(ByteCursor.U64, offset);
            case FLOAT32 -> s.get(ByteCursor.F32, offset);
            case FLOAT64 -> s.get(ByteCursor.F64, offset);
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, offset) != 0;
            case STRING, ARRAY -> throw new IllegalArgumentException(type + " is not a fixed-size scalar");
        };
    }

    private String string(String key, Entry e) {
        if (e.type() != GgufValueType.STRING) {
            throw mismatch(key, e, "string");
        }
        return (String) e.value();
    }

    private int intValue(String key, Entry e) {
        long v = longValue(key, e);
        if (v != (int) v) {
            throw new GgufFormatException(source + ": metadata key '" + key + "' (" + v + ") does not fit an int32");
        }
        return (int) v;
    }

    private long longValue(String key, Entry e) {
        if (!e.type().isInteger()) {
            throw mismatch(key, e, "an integer");
        }
        long v = (Long) e.value();
        if (e.type() == GgufValueType.UINT64 && v < 0) {
            throw new GgufFormatException(source + ": metadata key '" + key + "' (" + Long.toUnsignedString(v)
                    + ") does not fit an int64");
        }
        return v;
    }

    private double doubleValue(String key, Entry e, String expected) {
        return switch (e.type()) {
            case FLOAT32 -> (Float) e.value();
            case FLOAT64 -> (Double) e.value();
            default -> throw mismatch(key, e, expected);
        };
    }

    private boolean boolValue(String key, Entry e) {
        if (e.type() != GgufValueType.BOOL) {
            throw mismatch(key, e, "bool");
        }
        return (Boolean) e.value();
    }

    private GgufArray array(String key, Entry e) {
        if (e.type() != GgufValueType.ARRAY) {
            throw mismatch(key, e, "an array");
        }
        return (GgufArray) e.value();
    }

    private GgufFormatException mismatch(String key, Entry e, String expected) {
        String actual = e.type() == GgufValueType.ARRAY
                ? "an array of " + ((GgufArray) e.value()).elementType().displayName()
                : e.type().displayName();
        return new GgufFormatException(source + ": metadata key '" + key + "' is " + actual + ", expected " + expected);
    }
}
