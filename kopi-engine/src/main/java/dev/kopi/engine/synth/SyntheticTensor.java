package dev.kopi.engine.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One tensor of a synthetic model: its GGUF name, its dimensions in ggml order (row length first) and how its
 * values are drawn.
 *
 * <p>Random values are a pure function of (seed, name, row): each row has its own generator seeded from those, so
 * any row range can be produced by any thread in any order and a file is the same whatever the thread count.
 *
 * @param fixed the values of a {@link Kind#FIXED} tensor (one row), else null
 */
public record SyntheticTensor(String name, long[] dims, Kind kind, float[] fixed) {

    public SyntheticTensor(String name, long[] dims, Kind kind) {
        this(name, dims, kind, null);
    }

    /** How the values of a tensor are distributed. */
    public enum Kind {
        /** Computed, not drawn: Llama 3's RoPE frequency factors. */
        FIXED,
        /** Token embeddings (and the untied output matrix): N(0, embeddingScale²). */
        EMBEDDING,
        /** Projection matrices: N(0, matrixScale²). */
        MATRIX,
        /** RMSNorm gains: 1 + N(0, normNoise²). */
        NORM
    }

    /** Elements per row ({@code ne[0]}). */
    public long rowLength() {
        return dims[0];
    }

    /** Number of rows (the product of the other dimensions). */
    public long rows() {
        long rows = 1;
        for (int i = 1; i < dims.length; i++) {
            rows *= dims[i];
        }
        return rows;
    }

    /**
     * Writes rows {@code firstRow .. firstRow+count-1} into {@code out} (row-major, {@code rowLength()} per row).
     */
    public void fillRows(long seed, Scales scales, long firstRow, int count, float[] out) {
        int n = Math.toIntExact(rowLength());
        if (kind == Kind.FIXED) {
            System.arraycopy(fixed, Math.toIntExact(firstRow * n), out, 0, count * n);
            return;
        }
        long tensorSeed = mix(seed ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L + name.length()));
        double scale = switch (kind) {
            case EMBEDDING -> scales.embedding();
            case MATRIX -> scales.matrix();
            case NORM -> scales.normNoise();
            case FIXED -> throw new IllegalStateException("fixed tensors are not drawn");
        };
        double offset = kind == Kind.NORM ? 1.0 : 0.0;
        for (int r = 0; r < count; r++) {
            SplittableRandom random = new SplittableRandom(mix(tensorSeed + (firstRow + r) * 0xBF58476D1CE4E5B9L));
            int base = r * n;
            for (int i = 0; i < n; i++) {
                out[base + i] = (float) (offset + scale * random.nextGaussian());
            }
        }
    }

    /**
     * The tensors of a model of {@code s} in the order llama.cpp's converter writes them: the computed
     * {@code rope_freqs} first, the token embedding, each block's tensors, the final norm and the untied output.
     */
    public static List<SyntheticTensor> of(ModelShape s) {
        List<SyntheticTensor> tensors = new ArrayList<>();
        long e = s.embedding();
        if (s.llama3Rope() != null) {
            float[] factors = s.llama3Rope().factors(s.headDim(), s.ropeTheta());
            tensors.add(new SyntheticTensor("rope_freqs.weight", new long[] {factors.length}, Kind.FIXED, factors));
        }
        tensors.add(new SyntheticTensor("token_embd.weight", new long[] {e, s.vocab()}, Kind.EMBEDDING));
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            tensors.add(new SyntheticTensor(p + "attn_norm.weight", new long[] {e}, Kind.NORM));
            tensors.add(new SyntheticTensor(p + "attn_q.weight", new long[] {e, s.queryWidth()}, Kind.MATRIX));
            tensors.add(new SyntheticTensor(p + "attn_k.weight", new long[] {e, s.kvWidth()}, Kind.MATRIX));
            tensors.add(new SyntheticTensor(p + "attn_v.weight", new long[] {e, s.kvWidth()}, Kind.MATRIX));
            tensors.add(new SyntheticTensor(p + "attn_output.weight", new long[] {s.queryWidth(), e}, Kind.MATRIX));
            if (s.headNorms()) {
                tensors.add(new SyntheticTensor(p + "attn_q_norm.weight", new long[] {s.headDim()}, Kind.NORM));
                tensors.add(new SyntheticTensor(p + "attn_k_norm.weight", new long[] {s.headDim()}, Kind.NORM));
            }
            if (s.postNorms()) {
                tensors.add(new SyntheticTensor(p + "post_attention_norm.weight", new long[] {e}, Kind.NORM));
            }
            tensors.add(new SyntheticTensor(p + "ffn_norm.weight", new long[] {e}, Kind.NORM));
            if (s.gatedFeedForward()) {
                tensors.add(new SyntheticTensor(p + "ffn_gate.weight", new long[] {e, s.feedForward()}, Kind.MATRIX));
            }
            tensors.add(new SyntheticTensor(p + "ffn_up.weight", new long[] {e, s.feedForward()}, Kind.MATRIX));
            tensors.add(new SyntheticTensor(p + "ffn_down.weight", new long[] {s.feedForward(), e}, Kind.MATRIX));
            if (s.postNorms()) {
                tensors.add(new SyntheticTensor(p + "post_ffw_norm.weight", new long[] {e}, Kind.NORM));
            }
        }
        tensors.add(new SyntheticTensor("output_norm.weight", new long[] {e}, Kind.NORM));
        if (!s.tiedEmbeddings()) {
            tensors.add(new SyntheticTensor("output.weight", new long[] {e, s.vocab()}, Kind.EMBEDDING));
        }
        return tensors;
    }

    /** SplitMix64's finaliser: spreads every input bit over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Standard deviations of the random weights.
     *
     * @param matrix    projection matrices
     * @param embedding token embeddings and output matrix; with RMS-normalised hidden states the logits' standard
     *                  deviation is about {@code embedding × sqrt(width)}
     * @param normNoise spread of the RMSNorm gains around 1
     */
    public record Scales(double matrix, double embedding, double normNoise) {
        /**
         * Measured with llama.cpp on the 0.6B shape: logits with a standard deviation of 2.6 and a median top-2
         * margin of 0.27 over 64 positions (0.05 for embeddings gave 1.6 and 0.23). The margin relative to the
         * spread is what the vocabulary size sets; the larger scale keeps absolute margins well above the 0.05
         * the parity tests call decisive.
         */
        public static final Scales DEFAULT = new Scales(0.03, 0.08, 0.02);

        public Scales {
            if (!(matrix > 0) || !(embedding > 0) || !(normNoise >= 0)
                    || !Double.isFinite(matrix) || !Double.isFinite(embedding) || !Double.isFinite(normNoise)) {
                throw new IllegalArgumentException("weight scales must be positive and finite: " + matrix + ", "
                        + embedding + ", " + normNoise);
            }
        }
    }
}
