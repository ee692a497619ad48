package dev.kopi.engine.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks next tokens from logits in llama.cpp's default order: penalties over the recent-token window, then
 * top-k, top-p, min-p, temperature and a seeded random draw (or argmax when the temperature is not positive).
 * Top-p and min-p see the distribution before temperature, as in llama.cpp.
 *
 * <p>One sampler belongs to one sequence: it remembers the tokens it was told about for the penalties, and its
 * random state advances with every draw. Not thread-safe.
 */
public final class Sampler {
    private final SamplerSettings settings;
    private final SplittableRandom random;
    private int[] history = new int[64];
    private int historySize;
    // Candidate buffers, reused between calls.
    private int[] ids = new int[0];
    private float[] values = new float[0];
    private long[] keys = new long[0];

    public Sampler(SamplerSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    public SamplerSettings settings() {
        return settings;
    }

    /** Records a token of the sequence (prompt or generated) for the penalties. */
    public void accept(int token) {
        if (historySize == history.length) {
            history = Arrays.copyOf(history, historySize * 2);
        }
        history[historySize++] = token;
    }

    /** Forgets the recorded tokens. */
    public void reset() {
        historySize = 0;
    }

    /** Chooses a token from {@code logits[offset .. offset + vocab)} (not modified) and records it. */
    public int sample(float[] logits, int offset, int vocab) {
        int token = choose(logits, offset, vocab);
        accept(token);
        return token;
    }

    private int choose(float[] logits, int offset, int vocab) {
        float[] l = penalized(logits, offset, vocab);
        int lOff = l == logits ? offset : 0;
        if (settings.temperature() <= 0) {
            return argmax(l, lOff, vocab);
        }
        int n = topCandidates(l, lOff, vocab);
        // softmax over the sorted candidates (before temperature) for top-p and min-p
        float max = values[0];
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(values[i] - max);
            sum += p[i];
        }
        if (settings.topP() < 1.0f) {
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= settings.topP()) {
                    n = i + 1;
                    break;
                }
            }
        }
        if (settings.minP() > 0.0f) {
            double threshold = max + Math.log(settings.minP());
            int kept = 1;
            while (kept < n && values[kept] >= threshold) {
                kept++;
            }
            n = kept;
        }
        // temperature, softmax and the draw
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((values[i] - max) / settings.temperature());
            total += p[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= p[i];
            if (r < 0) {
                return ids[i];
            }
        }
        return ids[n - 1];
    }

    /** The logits with repetition, presence and frequency penalties applied, or the input when none apply. */
    private float[] penalized(float[] logits, int offset, int vocab) {
        int window = settings.penaltyLastN() < 0 ? historySize : Math.min(settings.penaltyLastN(), historySize);
        boolean active = settings.repeatPenalty() != 1.0f || settings.presencePenalty() != 0.0f
                || settings.frequencyPenalty() != 0.0f;
        if (window == 0 || !active) {
            return logits;
        }
        float[] l = Arrays.copyOfRange(logits, offset, offset + vocab);
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (int i = historySize - window; i < historySize; i++) {
            counts.merge(history[i], 1, Integer::sum);
        }
        counts.forEach((token, count) -> {
            if (token < 0 || token >= vocab) {
                return;
            }
            float v = l[token];
            v = v <= 0 ? v * settings.repeatPenalty() : v / settings.repeatPenalty();
            v -= count * settings.frequencyPenalty() + settings.presencePenalty();
            l[token] = v;
        });
        return l;
    }

    /**
     * Fills {@code ids/values[0 .. n)} with the candidates sorted by descending logit: the top-k when k is set,
     * otherwise every token. Returns n.
     */
    private int topCandidates(float[] l, int off, int vocab) {
        int k = settings.topK() <= 0 ? vocab : Math.min(settings.topK(), vocab);
        if (keys.length < vocab) {
            keys = new long[vocab];
            ids = new int[vocab];
            values = new float[vocab];
        }
        int n;
        if (k == vocab) {
            for (int i = 0; i < vocab; i++) {
                keys[i] = sortKey(l[off + i], i);
            }
            Arrays.sort(keys, 0, vocab);
            n = vocab;
        } else {
            n = selectTop(l, off, vocab, k);
        }
        for (int i = 0; i < n; i++) {
            ids[i] = (int) (keys[i] & 0xFFFFFFFFL);
            values[i] = l[off + ids[i]];
        }
        return n;
    }

    /** The k largest as sort keys in {@code keys[0 .. k)}, ascending key order = descending logit. */
    private int selectTop(float[] l, int off, int vocab, int k) {
        // a bounded max-heap of keys (largest key = smallest logit on top) keeps the k best in one pass
        long[] heap = new long[k];
        int size = 0;
        for (int i = 0; i < vocab; i++) {
            long key = sortKey(l[off + i], i);
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key < heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        Arrays.sort(heap, 0, size);
        System.arraycopy(heap, 0, keys, 0, size);
        return size;
    }

    /**
     * A long whose ascending order is descending logit, ties broken by ascending token id: the order-preserving
     * bits of the negated float in the high half, the id in the low half.
     */
    private static long sortKey(float logit, int id) {
        int bits = Float.floatToIntBits(-logit);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ordered << 32) | (id & 0xFFFFFFFFL);
    }

    private static void siftUp(long[] h, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (h[parent] >= h[i]) {
                return;
            }
            long t = h[parent];
            h[parent] = h[i];
            h[i] = t;
            i = parent;
        }
    }

    private static void siftDown(long[] h, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int larger = left + 1 < size && h[left + 1] > h[left] ? left + 1 : left;
            if (h[i] >= h[larger]) {
                return;
            }
            long t = h[i];
            h[i] = h[larger];
            h[larger] = t;
            i = larger;
        }
    }

    private static int argmax(float[] l, int off, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (l[off + i] > l[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
