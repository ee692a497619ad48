package dev.kopi.engine;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import dev.kopi.kernels.WeightMatrix;
import dev.kopi.kernels.WorkerPool;

/**
 * What every decoder-only family shares: checking a batch, cutting it into chunks, the activation buffers, the
 * token embedding at the bottom and the final RMSNorm and output matrix at the top. A family binds its layers'
 * tensors and writes one layer in {@link #layer} with the building blocks of {@link ForwardPass}; a chunk runs
 *
 * <pre>
 *   x = embeddingScale · embed(tokens)
 *   for each layer l: layer(l)
 *   logits = softcap(Wout · rms(x))      (Wout = the token embedding when the file has no output.weight)
 * </pre>
 *
 * Matrix products run in the kernels module: matrix-vector for a single token, matrix-matrix for a batch.
 */
public abstract class DecoderModel implements Model {
    /** Tokens processed together at most: bounds activation memory; larger batches run in chunks. */
    static final int MAX_CHUNK = 256;

    /** The hyper-parameters the model was built from. */
    protected final ModelConfig config;
    private final WeightMatrix tokenEmbedding;
    private final float[] outputNorm;
    private final WeightMatrix output;
    private final WorkerPool pool;
    private final AutoCloseable resources;
    private final Attention attention;
    private ForwardPass.Buffers buffers;

    /**
     * Binds the embedding and output tensors of {@code weights} (checking names and shapes); a family's
     * constructor binds its layers' tensors the same way, so a file with a missing or misshapen tensor fails at
     * load naming it. {@code pool} does the work; {@code resources} (the mapped file) is closed with the model.
     */
    DecoderModel(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        this.config = config;
        this.pool = pool;
        this.resources = resources;
        int dim = config.embeddingLength();
        this.tokenEmbedding = weights.matrix("token_embd.weight", weights.rows("token_embd.weight"), dim);
        this.outputNorm = weights.vector("output_norm.weight", dim);
        this.output = weights.has("output.weight")
                ? weights.matrix("output.weight", tokenEmbedding.rows(), dim)
                : tokenEmbedding;
        this.attention = new Attention(config, pool);
    }

    /** One value per layer, bound in layer order ({@code bind.apply(l)} for each {@code l}). */
    final <L> List<L> perLayer(IntFunction<L> bind) {
        return IntStream.range(0, config.blockCount()).mapToObj(bind).toList();
    }

    /** The RMSNorm gain {@code blk.l.<name>.weight}, one per element of the residual stream. */
    final float[] norm(Weights weights, int l, String name) {
        return weights.vector("blk." + l + "." + name + ".weight", config.embeddingLength());
    }

    /**
     * The self-attention tensors of layer {@code l}: {@code attn_q/k/v/output}, and the per-head
     * {@code attn_q_norm}/{@code attn_k_norm} if {@code headNorms}.
     */
    final ForwardPass.AttentionWeights attention(Weights weights, int l, boolean headNorms) {
        String b = "blk." + l + ".";
        int dim = config.embeddingLength();
        return new ForwardPass.AttentionWeights(
                weights.matrix(b + "attn_q.weight", config.queryDim(), dim),
                weights.matrix(b + "attn_k.weight", config.keyDim(), dim),
                weights.matrix(b + "attn_v.weight", config.valueDim(), dim),
                weights.matrix(b + "attn_output.weight", dim, config.headCount() * config.valueLength()),
                headNorms ? weights.vector(b + "attn_q_norm.weight", config.keyLength()) : null,
                headNorms ? weights.vector(b + "attn_k_norm.weight", config.keyLength()) : null);
    }

    /**
     * The feed-forward tensors of layer {@code l}: {@code ffn_up} and {@code ffn_down}, and {@code ffn_gate} if
     * {@code gated}.
     */
    final ForwardPass.FeedForwardWeights feedForward(Weights weights, int l, boolean gated) {
        String b = "blk." + l + ".";
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        return new ForwardPass.FeedForwardWeights(
                gated ? weights.matrix(b + "ffn_gate.weight", ffn, dim) : null,
                weights.matrix(b + "ffn_up.weight", ffn, dim),
                weights.matrix(b + "ffn_down.weight", dim, ffn));
    }

    /**
     * The rotary embedding of {@code rope} in the architecture's style, with the per-pair frequency factors of
     * {@code rope_freqs.weight} where the file has them (Llama 3's long-context scaling).
     */
    final Rope rope(Weights weights, RopeConfig rope) {
        String factors = "rope_freqs.weight";
        return new Rope(rope, config.architecture().ropeStyle(),
                weights.has(factors) ? weights.vector(factors, rope.dimensions() / 2) : null);
    }

    /** Layer {@code l} of the family's forward pass, applied to the residual stream of {@code pass}. */
    abstract void layer(ForwardPass pass, int l);

    /** What the token embeddings are multiplied by before the first layer (1 unless the family scales them). */
    float embeddingScale() {
        return 1.0f;
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
            ForwardPass pass = new ForwardPass(config, pool, attention, batch, start, n, cache, buffers(n));
            pass.embed(tokenEmbedding, embeddingScale());
            for (int l = 0; l < config.blockCount(); l++) {
                layer(pass, l);
            }
            row = pass.logits(outputNorm, output, config.finalLogitSoftcap(), logits, rows, row);
        }
        return new Logits(vocab, rows, logits);
    }

    /** The activation buffers, grown to the largest chunk seen and reused (decode allocates no activation memory). */
    private ForwardPass.Buffers buffers(int n) {
        if (buffers == null || buffers.tokens < n) {
            buffers = new ForwardPass.Buffers(config, n);
        }
        return buffers;
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
