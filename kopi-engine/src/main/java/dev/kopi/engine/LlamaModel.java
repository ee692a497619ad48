package dev.kopi.engine;

import dev.kopi.kernels.WorkerPool;

/**
 * The Llama family: Llama 3.1 (SEA-LION v3/v3.5 8B and 70B) and Qwen3 (Qwen3-0.6B ... 32B, hence
 * Qwen-SEA-LION-v4-32B-IT), which is Llama with a per-head RMSNorm of queries and keys. Per layer:
 *
 * <pre>
 *   x += Wo · attention(rope(qNorm(Wq · rms(x))), rope(kNorm(Wk · rms(x))), Wv · rms(x))
 *   x += Wdown · (silu(Wgate · rms(x)) * (Wup · rms(x)))
 * </pre>
 *
 * with grouped-query attention over the KV cache. Qwen3 rotates NEOX pairs; Llama rotates consecutive pairs with
 * the per-pair frequency factors of {@code rope_freqs.weight} (Llama 3's long-context RoPE).
 */
public final class LlamaModel extends DecoderModel {
    private record Layer(float[] attnNorm, ForwardPass.AttentionWeights attention,
                         float[] ffnNorm, ForwardPass.FeedForwardWeights ffn) {}

    private final Layer[] layers;
    private final Rope rope;

    /**
     * Binds the tensors of {@code weights} (checking every name and shape) for a model of {@code config}.
     * {@code pool} does the work; {@code resources} (the mapped file) is closed with the model.
     */
    public LlamaModel(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        super(config, weights, pool, resources);
        boolean headNorms = config.architecture() == Architecture.QWEN3;
        int dim = config.embeddingLength();
        this.layers = new Layer[config.blockCount()];
        for (int l = 0; l < layers.length; l++) {
            String b = "blk." + l + ".";
            layers[l] = new Layer(
                    weights.vector(b + "attn_norm.weight", dim),
                    attentionWeights(weights, config, l, headNorms),
                    weights.vector(b + "ffn_norm.weight", dim),
                    feedForwardWeights(weights, config, l, true));
        }
        this.rope = rope(weights, config, config.rope());
    }

    @Override
    void layer(ForwardPass p, int l) {
        Layer layer = layers[l];
        p.residual(layer.attnNorm, () -> p.selfAttention(l, layer.attention, rope));
        p.residual(layer.ffnNorm, () -> p.feedForward(layer.ffn, Activation.SILU));
    }
}
