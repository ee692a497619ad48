package dev.kopi.engine;

import java.util.Arrays;

/**
 * The tokens one forward pass processes, like llama.cpp's {@code llama_batch}: each token carries the sequence
 * (KV cache slot) it belongs to, its position in that sequence, and whether its logits are wanted. A batch may
 * hold a prompt chunk of one sequence, the next token of many sequences (continuous batching), or a mix; tokens
 * of one sequence must appear in position order.
 */
public final class Batch {
    private int[] tokens;
    private int[] positions;
    private int[] sequences;
    private boolean[] wantLogits;
    private int size;

    public Batch() {
        this(16);
    }

    public Batch(int capacity) {
        tokens = new int[capacity];
        positions = new int[capacity];
        sequences = new int[capacity];
        wantLogits = new boolean[capacity];
    }

    /** A batch holding {@code tokens} of sequence {@code sequence} from position {@code start} on. */
    public static Batch of(int sequence, int start, int[] tokens, boolean allLogits) {
        Batch b = new Batch(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            b.add(tokens[i], start + i, sequence, allLogits || i == tokens.length - 1);
        }
        return b;
    }

    /** Appends a token; returns this batch. */
    public Batch add(int token, int position, int sequence, boolean logits) {
        if (position < 0 || sequence < 0) {
            throw new IllegalArgumentException("negative position " + position + " or sequence " + sequence);
        }
        if (size == tokens.length) {
            int capacity = Math.max(4, size * 2);
            tokens = Arrays.copyOf(tokens, capacity);
            positions = Arrays.copyOf(positions, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            wantLogits = Arrays.copyOf(wantLogits, capacity);
        }
        tokens[size] = token;
        positions[size] = position;
        sequences[size] = sequence;
        wantLogits[size] = logits;
        size++;
        return this;
    }

    /** Empties the batch for reuse. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int token(int i) {
        return tokens[checked(i)];
    }

    public int position(int i) {
        return positions[checked(i)];
    }

    public int sequence(int i) {
        return sequences[checked(i)];
    }

    public boolean wantsLogits(int i) {
        return wantLogits[checked(i)];
    }

    /** How many tokens want logits. */
    public int logitCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (wantLogits[i]) {
                n++;
            }
        }
        return n;
    }

    private int checked(int i) {
        return java.util.Objects.checkIndex(i, size);
    }
}
