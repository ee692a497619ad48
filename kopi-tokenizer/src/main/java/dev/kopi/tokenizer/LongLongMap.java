package dev.kopi.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing hash map from long to long without boxing, for the lookups on the hot path: BPE merge
 * ranks keyed by the pair of token ids, and token ids keyed by code point.
 */
final class LongLongMap {
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final int shift;

    /** A map that can hold up to {@code expected} entries. */
    LongLongMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(long key, long value) {
        int i = slot(key);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The value of {@code key}, or {@code missing}. */
    long get(long key, long missing) {
        int i = slot(key);
        long k;
        while ((k = keys[i]) != EMPTY) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return missing;
    }
}
