package dev.kopi.tokenizer;

/**
 * An open-addressing hash map from long to long without boxing, for the lookups on the hot path: BPE merge
 * ranks keyed by the pair of token ids, and token ids keyed by code point.
 */
final class LongLongMap {
    private static final long EMPTY = Long.MIN_VALUE;

    /** Keys and values interleaved, so that a probe touches one cache line. */
    private final long[] slots;
    private final int mask;
    private final int shift;

    /** A map that can hold up to {@code expected} entries. */
    LongLongMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        slots = new long[2 * capacity];
        for (int i = 0; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(long key, long value) {
        int i = slot(key);
        while (slots[2 * i] != EMPTY && slots[2 * i] != key) {
            i = (i + 1) & mask;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = value;
    }

    /** The value of {@code key}, or {@code missing}. */
    long get(long key, long missing) {
        int i = slot(key);
        long k;
        while ((k = slots[2 * i]) != EMPTY) {
            if (k == key) {
                return slots[2 * i + 1];
            }
            i = (i + 1) & mask;
        }
        return missing;
    }
}
