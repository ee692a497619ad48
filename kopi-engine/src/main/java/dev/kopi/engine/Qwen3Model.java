package dev.kopi.engine;

import dev.kopi.kernels.VectorOps;
import dev.kopi.kernels.WeightMatrix;
import dev.kopi.kernels.WorkerPool;

/**
 * The Qwen3 decoder (Qwen3-0.6B ... Qwen3-32B, hence Qwen-SEA-LION-v4-32B-IT), read top to bottom in
 * {@link #forward}. Per layer:
 *
 * <pre>
 *   h = x + Wo · attention(rope(qNorm(Wq · rms(x))), rope(kNorm(Wk · rms(x))), Wv · rms(x))
 *   x = h + Wdown · (silu(Wgate · rms(h)) * (Wup · rms(h)))
 * </pre>
 *
 * with grouped-query attention over the KV cache, per-head RMSNorm of queries and keys before NEOX RoPE, and
 * logits {@code Wout · rms(x)} ({@code Wout} = the token embedding when the file has no {@code output.weight}).
 * Matrix products run in the kernels module: matrix-vector for a single token, matrix-matrix for a batch.
 */
public final class Qwen3Model implements Model {
    /** Tokens processed together at most: bounds activation memory; larger batches run in chunks. */
    static final int MAX_CHUNK = 256;

    private record Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                         float[] qNorm, float[] kNorm,
                         float[] ffnNorm, WeightMatrix gate, WeightMatrix up, WeightMatrix down) {}

    private final ModelConfig config;
    private final WeightMatrix tokenEmbedding;
    private final Layer[] layers;
    private final float[] outputNorm;
    private final WeightMatrix output;
    private final Rope rope;
    private final WorkerPool pool;
    private final AutoCloseable resources;
    private final Attention attention;
    private Activations act;

    /**
     * Binds the tensors of {@code weights} (checking every name and shape) for a model of {@code config}.
     * {@code pool} does the work; {@code resources} (the mapped file) is closed with the model.
     */
    public Qwen3Model(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        this.config = config;
        this.pool = pool;
        this.resources = resources;
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        int head = config.keyLength();
        this.tokenEmbedding = weights.matrix("token_embd.weight", weights.rows("token_embd.weight"), dim);
        this.layers = new Layer[config.blockCount()];
        for (int l = 0; l < layers.length; l++) {
            String b = "blk." + l + ".";
            layers[l] = new Layer(
                    weights.vector(b + "attn_norm.weight", dim),
                    weights.matrix(b + "attn_q.weight", config.queryDim(), dim),
                    weights.matrix(b + "attn_k.weight", config.keyDim(), dim),
                    weights.matrix(b + "attn_v.weight", config.valueDim(), dim),
                    weights.matrix(b + "attn_output.weight", dim, config.headCount() * config.valueLength()),
                    weights.vector(b + "attn_q_norm.weight", head),
                    weights.vector(b + "attn_k_norm.weight", head),
                    weights.vector(b + "ffn_norm.weight", dim),
                    weights.matrix(b + "ffn_gate.weight", ffn, dim),
                    weights.matrix(b + "ffn_up.weight", ffn, dim),
                    weights.matrix(b + "ffn_down.weight", dim, ffn));
        }
        this.outputNorm = weights.vector("output_norm.weight", dim);
        this.output = weights.has("output.weight")
                ? weights.matrix("output.weight", tokenEmbedding.rows(), dim)
                : tokenEmbedding;
        this.rope = new Rope(config.rope());
        this.attention = new Attention(config, pool);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public int vocabularySize() {
        return tokenEmbedding.rows();
    }

    @Override
    public Logits forward(Batch batch, KvCache cache) {
        int vocab = vocabularySize();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.token(i) < 0 || batch.token(i) >= vocab) {
                throw new IllegalArgumentException("token id " + batch.token(i) + " at batch index " + i
                        + " is outside the vocabulary of " + vocab);
            }
        }
        cache.reserve(batch);
        int wanted = batch.logitCount();
        int[] rows = new int[wanted];
        float[] logits = new float[Math.multiplyExact(wanted, vocab)];
        int row = 0;
        for (int start = 0; start < batch.size(); start += MAX_CHUNK) {
            int n = Math.min(MAX_CHUNK, batch.size() - start);
            row = forwardChunk(batch, start, n, cache, logits, rows, row);
        }
        return new Logits(vocab, rows, logits);
    }

    /** Runs batch tokens {@code [start, start + n)}; writes their wanted logits from row {@code row} on. */
    private int forwardChunk(Batch batch, int start, int n, KvCache cache, float[] logits, int[] rows, int row) {
        Activations a = activations(n);
        int dim = config.embeddingLength();
        for (int t = 0; t < n; t++) {
            tokenEmbedding.dequantizeRow(batch.token(start + t), a.x, t * dim);
            rope.angles(batch.position(start + t), a.cos, a.sin, t * a.halfRope);
        }
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            // Attention block: x += Wo · attention(...)
            rmsNormRows(a.x, layer.attnNorm, a.xb, n, dim);
            project(layer.wq, a.xb, n, a.q);
            project(layer.wk, a.xb, n, a.k);
            project(layer.wv, a.xb, n, a.v);
            normalizeAndRotateHeads(layer, a, n);
            attention.run(l, batch, start, n, a.q, a.k, a.v, cache, a.att);
            project(layer.wo, a.att, n, a.xb);
            VectorOps.add(a.x, 0, a.xb, 0, a.x, 0, n * dim);
            // Feed-forward block: x += Wdown · (silu(Wgate · rms(x)) * (Wup · rms(x)))
            rmsNormRows(a.x, layer.ffnNorm, a.xb, n, dim);
            project(layer.gate, a.xb, n, a.gate);
            project(layer.up, a.xb, n, a.up);
            VectorOps.siluMul(a.gate, 0, a.up, 0, a.gate, 0, n * config.feedForwardLength());
            project(layer.down, a.gate, n, a.xb);
            VectorOps.add(a.x, 0, a.xb, 0, a.x, 0, n * dim);
        }
        // Logits only for the tokens that asked: gather their normalised rows, then one product.
        int m = 0;
        for (int t = 0; t < n; t++) {
            if (batch.wantsLogits(start + t)) {
                VectorOps.rmsNorm(a.x, t * dim, outputNorm, 0, a.xb, m * dim, dim, config.rmsEps());
                rows[row + m] = start + t;
                m++;
            }
        }
        if (m > 0) {
            float[] out = m == rows.length ? logits : new float[m * vocabularySize()];
            project(output, a.xb, m, out);
            if (out != logits) {
                System.arraycopy(out, 0, logits, row * vocabularySize(), out.length);
            }
        }
        return row + m;
    }

    /** Per-head RMSNorm of queries and keys (Qwen3's q_norm/k_norm), then NEOX RoPE at each token's position. */
    private void normalizeAndRotateHeads(Layer layer, Activations a, int n) {
        int head = config.keyLength();
        int qDim = config.queryDim();
        int kDim = config.keyDim();
        float eps = config.rmsEps();
        pool.parallelFor(n, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int h = 0; h < config.headCount(); h++) {
                    int off = t * qDim + h * head;
                    VectorOps.rmsNorm(a.q, off, layer.qNorm, 0, a.q, off, head, eps);
                    VectorOps.ropeNeox(a.q, off, rope.dimensions(), a.cos, a.sin, t * a.halfRope);
                }
                for (int h = 0; h < config.headCountKv(); h++) {
                    int off = t * kDim + h * head;
                    VectorOps.rmsNorm(a.k, off, layer.kNorm, 0, a.k, off, head, eps);
                    VectorOps.ropeNeox(a.k, off, rope.dimensions(), a.cos, a.sin, t * a.halfRope);
                }
            }
        });
    }

    private void rmsNormRows(float[] x, float[] weight, float[] out, int n, int dim) {
        for (int t = 0; t < n; t++) {
            VectorOps.rmsNorm(x, t * dim, weight, 0, out, t * dim, dim, config.rmsEps());
        }
    }

    /** {@code out = W · x} for {@code n} rows of activations: matrix-vector for one, matrix-matrix for more. */
    private void project(WeightMatrix w, float[] x, int n, float[] out) {
        if (n == 1) {
            w.matVec(x, 0, out, 0, pool);
        } else {
            w.matMul(x, n, out, pool);
        }
    }

    /** The activation buffers, grown to the largest chunk seen and reused (decode allocates nothing). */
    private Activations activations(int n) {
        if (act == null || act.tokens < n) {
            act = new Activations(config, rope.dimensions() / 2, n);
        }
        return act;
    }

    /** Buffers of one chunk of {@code tokens} tokens, row-major per token. */
    private static final class Activations {
        final int tokens;
        final int halfRope;
        final float[] x;
        final float[] xb;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] gate;
        final float[] up;
        final float[] cos;
        final float[] sin;

        Activations(ModelConfig c, int halfRope, int tokens) {
            this.tokens = tokens;
            this.halfRope = halfRope;
            x = new float[tokens * c.embeddingLength()];
            xb = new float[tokens * c.embeddingLength()];
            q = new float[tokens * c.queryDim()];
            k = new float[tokens * c.keyDim()];
            v = new float[tokens * c.valueDim()];
            att = new float[tokens * c.headCount() * c.valueLength()];
            gate = new float[tokens * c.feedForwardLength()];
            up = new float[tokens * c.feedForwardLength()];
            cos = new float[tokens * halfRope];
            sin = new float[tokens * halfRope];
        }
    }

    @Override
    public void close() {
        pool.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release the model file", e);
        }
    }
}
