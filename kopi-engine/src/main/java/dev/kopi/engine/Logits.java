package dev.kopi.engine;

import java.util.Arrays;

/**
 * The output of a forward pass: one row of {@code vocabularySize} logits for each batch token that asked for
 * them, in batch order.
 */
public final class Logits {
    private final int vocabularySize;
    private final int[] batchIndices;
    private final float[] values;

    Logits(int vocabularySize, int[] batchIndices, float[] values) {
        this.vocabularySize = vocabularySize;
        this.batchIndices = batchIndices;
        this.values = values;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /** Number of rows. */
    public int rows() {
        return batchIndices.length;
    }

    /** The batch index row {@code row} belongs to. */
    public int batchIndex(int row) {
        return batchIndices[row];
    }

    /** A copy of row {@code row}. */
    public float[] row(int row) {
        java.util.Objects.checkIndex(row, batchIndices.length);
        return Arrays.copyOfRange(values, row * vocabularySize, (row + 1) * vocabularySize);
    }

    /** A copy of the logits of batch token {@code batchIndex}. */
    public float[] forBatchIndex(int batchIndex) {
        for (int r = 0; r < batchIndices.length; r++) {
            if (batchIndices[r] == batchIndex) {
                return row(r);
            }
        }
        throw new IllegalArgumentException("batch token " + batchIndex + " did not ask for logits");
    }

    /** All rows back to back (row-major), without copying; do not modify. */
    public float[] values() {
        return values;
    }
}
