package dev.kopi.engine;

import java.util.Arrays;

/**
 * Keys and values of past tokens, per layer and per sequence slot, stored as F32. Each slot holds one sequence's
 * positions {@code 0 .. length-1}; a batch may extend several slots at once. Storage of a slot grows on demand
 * (doubling) up to the context length, so a large context costs memory only when it is used.
 *
 * <p>Layout of a slot's keys for a layer: position-major, {@code [position][kvHead][headDim]}.
 */
public final class KvCache {
    private static final int INITIAL_POSITIONS = 64;

    private final int layers;
    private final int keyDim;
    private final int valueDim;
    private final int contextLength;
    private final float[][][] keys;   // [slot][layer][position * keyDim]
    private final float[][][] values; // [slot][layer][position * valueDim]
    private final int[] lengths;

    public KvCache(ModelConfig config, int sequences, int contextLength) {
        if (sequences < 1 || contextLength < 1) {
            throw new IllegalArgumentException("a KV cache needs at least one sequence and one position, got "
                    + sequences + " sequences of " + contextLength);
        }
        this.layers = config.blockCount();
        this.keyDim = config.keyDim();
        this.valueDim = config.valueDim();
        this.contextLength = contextLength;
        this.keys = new float[sequences][layers][0];
        this.values = new float[sequences][layers][0];
        this.lengths = new int[sequences];
    }

    /** Number of sequence slots. */
    public int sequences() {
        return lengths.length;
    }

    /** Positions each slot can hold. */
    public int contextLength() {
        return contextLength;
    }

    /** Positions stored for {@code sequence}. */
    public int length(int sequence) {
        return lengths[slot(sequence)];
    }

    /** Forgets the positions of {@code sequence} from {@code length} on (keeps a shared prefix). */
    public void truncate(int sequence, int length) {
        int s = slot(sequence);
        if (length < 0 || length > lengths[s]) {
            throw new IllegalArgumentException("cannot truncate sequence " + sequence + " of length " + lengths[s]
                    + " to " + length);
        }
        lengths[s] = length;
    }

    /** Forgets everything in {@code sequence}. */
    public void clear(int sequence) {
        truncate(sequence, 0);
    }

    /**
     * Checks that {@code batch} continues its sequences without gaps and within the context, grows storage for
     * it and records the new lengths. Called once per forward pass, before any layer writes.
     *
     * @throws ContextOverflowException if a position reaches the context length
     * @throws IllegalArgumentException for an unknown sequence or a position that would leave a gap
     */
    void reserve(Batch batch) {
        int[] next = lengths.clone();
        for (int i = 0; i < batch.size(); i++) {
            int s = slot(batch.sequence(i));
            int p = batch.position(i);
            if (p >= contextLength) {
                throw new ContextOverflowException(p + 1, contextLength);
            }
            if (p > next[s]) {
                throw new IllegalArgumentException("batch token " + i + " of sequence " + s + " is at position " + p
                        + " but the sequence holds only " + next[s] + " positions");
            }
            next[s] = Math.max(next[s], p + 1);
        }
        for (int s = 0; s < next.length; s++) {
            ensureCapacity(s, next[s]);
        }
        System.arraycopy(next, 0, lengths, 0, next.length);
    }

    private void ensureCapacity(int s, int positions) {
        int have = keys[s][0].length / keyDim;
        if (positions <= have) {
            return;
        }
        int grown = Math.min(contextLength, Math.max(positions, Math.max(INITIAL_POSITIONS, have * 2)));
        for (int l = 0; l < layers; l++) {
            keys[s][l] = Arrays.copyOf(keys[s][l], grown * keyDim);
            values[s][l] = Arrays.copyOf(values[s][l], grown * valueDim);
        }
    }

    /** The key rows of {@code sequence} in {@code layer}: position {@code p} starts at {@code p * keyDim}. */
    float[] keys(int layer, int sequence) {
        return keys[sequence][layer];
    }

    /** The value rows of {@code sequence} in {@code layer}: position {@code p} starts at {@code p * valueDim}. */
    float[] values(int layer, int sequence) {
        return values[sequence][layer];
    }

    /** Bytes currently allocated for keys and values. */
    public long allocatedBytes() {
        long floats = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int l = 0; l < layers; l++) {
                floats += keys[s][l].length + values[s][l].length;
            }
        }
        return floats * Float.BYTES;
    }

    private int slot(int sequence) {
        if (sequence < 0 || sequence >= lengths.length) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside the cache's "
                    + lengths.length + " slots");
        }
        return sequence;
    }
}
