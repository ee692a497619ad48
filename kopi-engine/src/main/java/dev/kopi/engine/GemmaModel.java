package dev.kopi.engine;

import java.util.List;

import dev.kopi.kernels.WorkerPool;

/**
 * The Gemma family: Gemma 2 (SEA-LION v3 9B) and Gemma 3 (SEA-LION v4 27B). Token embeddings are scaled by
 * {@code sqrt(embeddingLength)}, and both blocks are wrapped in RMSNorms before and after. Per layer:
 *
 * <pre>
 *   x += postAttnNorm(Wo · attention(rope(qNorm(Wq · rms(x))), rope(kNorm(Wk · rms(x))), Wv · rms(x)))
 *   x += postFfnNorm(Wdown · (gelu(Wgate · rms(x)) * (Wup · rms(x))))
 * </pre>
 *
 * Sliding-window layers (Gemma 2: every other one, Gemma 3: five in six) attend to the last
 * {@code attention.sliding_window} positions only and rotate with their own RoPE base; the others see everything.
 * Gemma 2 soft-caps attention scores and logits and has no query/key norm; Gemma 3 normalises queries and keys
 * per head. The norm gains in GGUF already include Gemma's {@code 1 +} (llama.cpp's converter adds it), so they
 * multiply as they are. The output matrix is the token embedding.
 */
public final class GemmaModel extends DecoderModel {
    private record Layer(float[] attnNorm, ForwardPass.AttentionWeights attention, float[] postAttnNorm,
                         float[] ffnNorm, ForwardPass.FeedForwardWeights ffn, float[] postFfnNorm) {}

    private final List<Layer> layers;
    private final Rope globalRope;
    private final Rope localRope;

    /** Binds the tensors of {@code weights} for a model of {@code config} (see {@link DecoderModel}). */
    public GemmaModel(ModelConfig config, Weights weights, WorkerPool pool, AutoCloseable resources) {
        super(config, weights, pool, resources);
        boolean gemma3 = config.architecture() == Architecture.GEMMA3;
        this.layers = perLayer(l -> new Layer(
                norm(weights, l, "attn_norm"), attention(weights, l, gemma3), norm(weights, l, "post_attention_norm"),
                norm(weights, l, "ffn_norm"), feedForward(weights, l, true), norm(weights, l, "post_ffw_norm")));
        this.globalRope = rope(weights, config.rope());
        this.localRope = rope(weights, config.localRope());
    }

    @Override
    float embeddingScale() {
        return (float) Math.sqrt(config.embeddingLength());
    }

    @Override
    void layer(ForwardPass p, int l) {
        Layer layer = layers.get(l);
        Rope rope = config.attention().slidingWindow().covers(l) ? localRope : globalRope;
        p.residual(layer.attnNorm, () -> p.selfAttention(l, layer.attention, rope), layer.postAttnNorm);
        p.residual(layer.ffnNorm, () -> p.feedForward(layer.ffn, Activation.GELU_TANH), layer.postFfnNorm);
    }
}
