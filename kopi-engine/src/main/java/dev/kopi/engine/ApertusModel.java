package dev.kopi.engine;

import java.util.List;

import dev.kopi.kernels.WorkerPool;

/**
 * Apertus (Apertus-8B, hence Apertus-SEA-LION-v4-8B-IT): Llama-style pre-norm attention with a per-head RMSNorm of
 * queries and keys, and an ungated MLP with the trainable xIELU activation. Per layer:
 *
 * <pre>
 *   x += Wo · attention(rope(qNorm(Wq · rms(x))), rope(kNorm(Wk · rms(x))), Wv · rms(x))
 *   x += Wdown · xielu_l(Wup · rms(x))
 * </pre>
 *
 * RoPE rotates NEOX pairs with Llama 3's per-pair frequency factors ({@code rope_freqs.weight}) where the file
 * has them; the output matrix is separate from the token embedding.
 */
public final class ApertusModel extends DecoderModel {
    private record Layer(float[] attnNorm, ForwardPass.AttentionWeights attention,
                         float[] ffnNorm, ForwardPass.FeedForwardWeights ffn, Xielu activation) {}

    private final List<Layer> layers;
    private final Rope rope;

    /** Binds the tensors of {@code weights} for a model of {@code config} (see {@link DecoderModel}). */
    public ApertusModel(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        super(config, weights, pool, resources);
        this.layers = perLayer(l -> new Layer(norm(weights, l, "attn_norm"), attention(weights, l, true),
                norm(weights, l, "ffn_norm"), feedForward(weights, l, false), config.xielu().get(l)));
        this.rope = rope(weights, config.rope());
    }

    @Override
    void layer(ForwardPass p, int l) {
        Layer layer = layers.get(l);
        p.residual(layer.attnNorm, () -> p.selfAttention(l, layer.attention, rope));
        p.residual(layer.ffnNorm, () -> p.feedForward(layer.ffn, layer.activation));
    }
}
