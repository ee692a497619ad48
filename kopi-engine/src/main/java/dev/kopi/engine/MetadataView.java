package dev.kopi.engine;

import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of GGUF key/value metadata, failing with a {@link ModelException} that names the key. GGUF stores
 * integers in several widths and floats in two, so any {@link Number} is accepted where the value fits.
 */
public final class MetadataView {
    private final Function<String, ?> lookup;

    /** A view over {@code lookup}, which returns a key's value or null when the key is absent. */
    public MetadataView(Function<String, ?> lookup) {
        this.lookup = lookup;
    }

    /** A view over a map of keys to values. */
    public static MetadataView of(Map<String, ?> values) {
        return new MetadataView(values::get);
    }

    /** The string under {@code key}. */
    public String string(String key) {
        Object v = require(key);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string", v);
    }

    /** The string under {@code key}, or {@code fallback} if absent. */
    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** The positive integer under {@code key}. */
    public int positiveInt(String key) {
        int n = integer(key);
        if (n <= 0) {
            throw new ModelException("metadata key " + key + " must be positive, got " + n);
        }
        return n;
    }

    /** The positive integer under {@code key}, or {@code fallback} if absent. */
    public int positiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key) : fallback;
    }

    /** The integer under {@code key}, or {@code fallback} if absent. */
    public int integer(String key, int fallback) {
        return has(key) ? integer(key) : fallback;
    }

    private int integer(String key) {
        Object v = require(key);
        if (v instanceof Number n && !(v instanceof Float) && !(v instanceof Double)) {
            long l = n.longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
            throw new ModelException("metadata key " + key + " is out of range: " + l);
        }
        if (v instanceof int[] perLayer) {
            return uniform(key, perLayer);
        }
        throw wrongType(key, "an integer", v);
    }

    /** The finite float under {@code key}, or {@code fallback} if absent. */
    public float real(String key, float fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object v = lookup.apply(key);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.floatValue();
        }
        throw wrongType(key, "a finite number", v);
    }

    /**
     * One float per layer under {@code key}: an array of {@code layers} values, or a single value for all
     * (llama.cpp's {@code get_key_or_arr}).
     */
    public float[] realPerLayer(String key, int layers) {
        Object v = require(key);
        if (v instanceof float[] values) {
            if (values.length != layers) {
                throw new ModelException("metadata key " + key + " has " + values.length + " values for "
                        + layers + " layers");
            }
            return values.clone();
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            float[] values = new float[layers];
            java.util.Arrays.fill(values, n.floatValue());
            return values;
        }
        throw wrongType(key, "a number or an array of one per layer", v);
    }

    /** Whether {@code key} is present. */
    public boolean has(String key) {
        return lookup.apply(key) != null;
    }

    private Object require(String key) {
        Object v = lookup.apply(key);
        if (v == null) {
            throw new ModelException("metadata key " + key + " is missing");
        }
        return v;
    }

    /** Per-layer arrays (some GGUFs write head counts per layer) are accepted when every layer agrees. */
    private static int uniform(String key, int[] perLayer) {
        if (perLayer.length == 0 || java.util.Arrays.stream(perLayer).distinct().count() != 1) {
            throw new ModelException("metadata key " + key + " varies per layer, which is not supported");
        }
        return perLayer[0];
    }

    private static ModelException wrongType(String key, String expected, Object v) {
        return new ModelException("metadata key " + key + " should be " + expected + ", got "
                + (v == null ? "nothing" : v.getClass().getSimpleName() + " " + v));
    }
}
