package dev.kopi.engine;

import java.util.List;

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

    private final List<Layer> layers;
    private final Rope rope;

    /** Binds the tensors of {@code weights} for a model of {@code config} (see {@link DecoderModel}). */
    public LlamaModel(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        super(config, weights, pool, resources);
        boolean qwen3 = config.architecture() == Architecture.QWEN3;
        this.layers = perLayer(l -> new Layer(norm(weights, l, "attn_norm"), attention(weights, l, qwen3),
                norm(weights, l, "ffn_norm"), feedForward(weights, l, true)));
        this.rope = rope(weights, config.rope());
    }

    @Override
    void layer(ForwardPass p, int l) {
        Layer layer = layers.get(l);
        p.residual(layer.attnNorm, () -> p.selfAttention(l, layer.attention, rope));
        p.residual(layer.ffnNorm, () -> p.feedForward(layer.ffn, Activation.SILU));
    }
}
