package dev.kopi.engine;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.kopi.kernels.VectorOps;
import dev.kopi.kernels.WeightMatrix;
import dev.kopi.kernels.WorkerPool;

/**
 * One chunk of a batch on its way through a decoder, and the building blocks every family's layer is written in:
 * embedding lookup, residual blocks with RMSNorm, self-attention over the KV cache (projections, QK norm, RoPE),
 * feed-forward blocks and the logits. The numeric kernels are in kopi-kernels; the order of the blocks is in the
 * family classes ({@link LlamaModel}, ...).
 *
 * <p>Every matrix product goes through {@link #project}. The residual stream {@code x} and the block buffer
 * {@code xb} are {@code n × embeddingLength}, token-major; a block reads its normalised input from {@code xb} and
 * leaves its output there.
 */
final class ForwardPass {
    /** The weights of a self-attention block; the per-head query/key norms are null where the model has none. */
    record AttentionWeights(WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                            float[] qNorm, float[] kNorm) {}

    /** The weights of a feed-forward block; {@code gate} is null for an ungated one ({@code down · act(up · x)}). */
    record FeedForwardWeights(WeightMatrix gate, WeightMatrix up, WeightMatrix down) {}

    private final ModelConfig config;
    private final WorkerPool pool;
    private final Attention attention;
    private final Batch batch;
    private final int start;
    private final int n;
    private final KvCache cache;
    private final Buffers b;
    /** Rotation tables of the ropes used so far in this chunk. */
    private final Map<Rope, float[][]> angles = new IdentityHashMap<>();

    ForwardPass(ModelConfig config, WorkerPool pool, Attention attention, Batch batch, int start, int n,
                KvCache cache, Buffers buffers) {
        this.config = config;
        this.pool = pool;
        this.attention = attention;
        this.batch = batch;
        this.start = start;
        this.n = n;
        this.cache = cache;
        this.b = buffers;
    }

    /** {@code x = scale · table[token]} for every token of the chunk. */
    void embed(WeightMatrix table, float scale) {
        int dim = config.embeddingLength();
        for (int t = 0; t < n; t++) {
            table.dequantizeRow(batch.token(start + t), b.x, t * dim);
        }
        if (scale != 1.0f) {
            VectorOps.scale(b.x, 0, n * dim, scale);
        }
    }

    /** A pre-norm residual block: {@code x += block(rms(x) · norm)}. */
    void residual(float[] norm, Runnable block) {
        residual(norm, block, null);
    }

    /**
     * A residual block with norms before and after (Gemma's "sandwich"): {@code x += rms(block(rms(x) · norm)) ·
     * postNorm}; without {@code postNorm}, {@code x += block(rms(x) · norm)}.
     */
    void residual(float[] norm, Runnable block, float[] postNorm) {
        rmsNormRows(b.x, norm, b.xb, n);
        block.run();
        if (postNorm != null) {
            rmsNormRows(b.xb, postNorm, b.xb, n);
        }
        VectorOps.add(b.x, 0, b.xb, 0, b.x, 0, n * config.embeddingLength());
    }

    /**
     * Self-attention of the chunk's tokens over their sequences' KV caches: {@code xb = Wo · attention(q, k, v)}
     * with {@code q = rope(qNorm(Wq · xb))}, {@code k = rope(kNorm(Wk · xb))}, {@code v = Wv · xb}, the new keys and
     * values appended to {@code layer}'s cache.
     */
    void selfAttention(int layer, AttentionWeights w, Rope rope) {
        project(w.wq(), b.xb, n, b.q);
        project(w.wk(), b.xb, n, b.k);
        project(w.wv(), b.xb, n, b.v);
        normalizeAndRotateHeads(w.qNorm(), w.kNorm(), rope);
        attention.run(layer, batch, start, n, b.q, b.k, b.v, cache, b.att);
        project(w.wo(), b.att, n, b.xb);
    }

    /** A feed-forward block: {@code xb = Wdown · (act(Wgate · xb) * (Wup · xb))}, or {@code Wdown · act(Wup · xb)}. */
    void feedForward(FeedForwardWeights w, Activation act) {
        int hidden = config.feedForwardLength();
        project(w.up(), b.xb, n, b.up);
        if (w.gate() != null) {
            project(w.gate(), b.xb, n, b.hidden);
            pool.parallelFor(n * hidden, (from, to) -> act.applyGated(b.hidden, b.up, from, to - from));
            project(w.down(), b.hidden, n, b.xb);
        } else {
            pool.parallelFor(n * hidden, (from, to) -> act.apply(b.up, from, to - from));
            project(w.down(), b.up, n, b.xb);
        }
    }

    /**
     * The logits of the chunk's tokens that asked for them: their rows of {@code x}, normalised, times
     * {@code output}, soft-capped if {@code softcap} is not 0. Writes them to {@code logits} from row {@code row}
     * on, recording their batch indices in {@code rows}, and returns the next free row.
     */
    int logits(float[] outputNorm, WeightMatrix output, float softcap, float[] logits, int[] rows, int row) {
        int dim = config.embeddingLength();
        int m = 0;
        for (int t = 0; t < n; t++) {
            if (batch.wantsLogits(start + t)) {
                VectorOps.rmsNorm(b.x, t * dim, outputNorm, 0, b.xb, m * dim, dim, config.rmsEps());
                rows[row + m] = start + t;
                m++;
            }
        }
        if (m == 0) {
            return row;
        }
        int vocab = output.rows();
        float[] out = m == rows.length ? logits : new float[m * vocab];
        project(output, b.xb, m, out);
        if (softcap != 0.0f) {
            pool.parallelFor(out.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = softcap * (float) Math.tanh(out[i] / softcap);
                }
            });
        }
        if (out != logits) {
            System.arraycopy(out, 0, logits, row * vocab, out.length);
        }
        return row + m;
    }

    /**
     * {@code out = W · x} for {@code rows} rows of activations: matrix-vector for one, matrix-matrix for more. The
     * one place every family's matrix products go through.
     */
    void project(WeightMatrix w, float[] x, int rows, float[] out) {
        if (rows == 1) {
            w.matVec(x, 0, out, 0, pool);
        } else {
            w.matMul(x, rows, out, pool);
        }
    }

    /** Per-head RMSNorm of queries and keys (where the model has it), then RoPE at each token's position. */
    private void normalizeAndRotateHeads(float[] qNorm, float[] kNorm, Rope rope) {
        int head = config.keyLength();
        int qDim = config.queryDim();
        int kDim = config.keyDim();
        float eps = config.rmsEps();
        float[][] table = angles(rope);
        float[] cos = table[0];
        float[] sin = table[1];
        int half = rope.dimensions() / 2;
        pool.parallelFor(n, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int h = 0; h < config.headCount(); h++) {
                    int off = t * qDim + h * head;
                    if (qNorm != null) {
                        VectorOps.rmsNorm(b.q, off, qNorm, 0, b.q, off, head, eps);
                    }
                    rope.rotate(b.q, off, cos, sin, t * half);
                }
                for (int h = 0; h < config.headCountKv(); h++) {
                    int off = t * kDim + h * head;
                    if (kNorm != null) {
                        VectorOps.rmsNorm(b.k, off, kNorm, 0, b.k, off, head, eps);
                    }
                    rope.rotate(b.k, off, cos, sin, t * half);
                }
            }
        });
    }

    /** The cos and sin tables of {@code rope} at the chunk's positions, computed once per chunk. */
    private float[][] angles(Rope rope) {
        float[][] table = angles.get(rope);
        if (table == null) {
            table = b.ropeTables(rope);
            int half = rope.dimensions() / 2;
            for (int t = 0; t < n; t++) {
                rope.angles(batch.position(start + t), table[0], table[1], t * half);
            }
            angles.put(rope, table);
        }
        return table;
    }

    private void rmsNormRows(float[] x, float[] weight, float[] out, int rows) {
        int dim = config.embeddingLength();
        for (int t = 0; t < rows; t++) {
            VectorOps.rmsNorm(x, t * dim, weight, 0, out, t * dim, dim, config.rmsEps());
        }
    }

    /**
     * The activation buffers of chunks of up to {@code tokens} tokens, row-major per token; a model keeps one,
     * grown to the largest chunk seen, so decoding allocates nothing.
     */
    static final class Buffers {
        final int tokens;
        final float[] x;
        final float[] xb;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] hidden;
        final float[] up;
        private final Map<Rope, float[][]> ropeTables = new IdentityHashMap<>();

        Buffers(ModelConfig c, int tokens) {
            this.tokens = tokens;
            x = new float[tokens * c.embeddingLength()];
            xb = new float[tokens * c.embeddingLength()];
            q = new float[tokens * c.queryDim()];
            k = new float[tokens * c.keyDim()];
            v = new float[tokens * c.valueDim()];
            att = new float[tokens * c.headCount() * c.valueLength()];
            hidden = new float[tokens * c.feedForwardLength()];
            up = new float[tokens * c.feedForwardLength()];
        }

        /** Room for the cos and sin of {@code rope}'s angles at {@link #tokens} positions. */
        float[][] ropeTables(Rope rope) {
            return ropeTables.computeIfAbsent(rope, r -> new float[2][tokens * (r.dimensions() / 2)]);
        }
    }
}
