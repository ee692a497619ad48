package dev.kopi.engine.synth;

import java.util.Arrays;
import java.util.Locale;

/**
 * The hyperparameters of a Qwen3 dense model: enough to lay out every tensor and write the GGUF metadata.
 *
 * <p>The named shapes are those of the published Qwen3 checkpoints (their {@code config.json}); {@code 32b} is
 * also the shape of Qwen-SEA-LION-v4-32B-IT. {@code tiny} keeps the real vocabulary, so the real tokenizer and
 * chat template work with it, but is small enough for fast tests.
 */
public record Qwen3Shape(
        String name,
        int layers,
        int embedding,
        int heads,
        int kvHeads,
        int headDim,
        int feedForward,
        int vocab,
        boolean tiedEmbeddings,
        float ropeTheta,
        float rmsEpsilon,
        int contextLength) {

    private static final int QWEN3_VOCAB = 151936;
    private static final float ROPE_THETA = 1_000_000f;
    private static final float RMS_EPSILON = 1e-6f;
    private static final int CONTEXT = 40960;

    /** The shapes {@link #named} knows, smallest first. */
    public static final Qwen3Shape[] KNOWN = {
        shape("tiny", 2, 256, 4, 2, 64, 512, true),
        shape("0.6b", 28, 1024, 16, 8, 128, 3072, true),
        shape("1.7b", 28, 2048, 16, 8, 128, 6144, true),
        shape("4b", 36, 2560, 32, 8, 128, 9728, true),
        shape("8b", 36, 4096, 32, 8, 128, 12288, false),
        shape("14b", 40, 5120, 40, 8, 128, 17408, false),
        shape("32b", 64, 5120, 64, 8, 128, 25600, false),
    };

    public Qwen3Shape {
        if (layers < 1 || embedding < 1 || heads < 1 || kvHeads < 1 || headDim < 2 || feedForward < 1 || vocab < 1) {
            throw new IllegalArgumentException("every dimension of a model shape must be positive: " + name);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(name + ": " + heads + " heads cannot share " + kvHeads + " KV heads evenly");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException(name + ": RoPE needs an even head dimension, not " + headDim);
        }
    }

    private static Qwen3Shape shape(String name, int layers, int embedding, int heads, int kvHeads, int headDim,
                                    int feedForward, boolean tied) {
        return new Qwen3Shape(name, layers, embedding, heads, kvHeads, headDim, feedForward, QWEN3_VOCAB, tied,
                ROPE_THETA, RMS_EPSILON, CONTEXT);
    }

    /**
     * The shape called {@code name} ({@code tiny}, {@code 0.6b}, {@code 1.7b}, {@code 4b}, {@code 8b}, {@code 14b},
     * {@code 32b}; case-insensitive).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Qwen3Shape named(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(KNOWN).filter(s -> s.name.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Qwen3 shape '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(KNOWN).map(Qwen3Shape::name).toList())));
    }

    /** Width of the concatenated query heads. */
    public int queryWidth() {
        return heads * headDim;
    }

    /** Width of the concatenated key (or value) heads. */
    public int kvWidth() {
        return kvHeads * headDim;
    }

    /** Query heads per KV head ({@code n_gqa} in llama.cpp). */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Number of weights, as {@code llama_model_n_params} counts them (the output matrix once if untied). */
    public long parameterCount() {
        long perLayer = 2L * embedding                                     // attn_norm, ffn_norm
                + (long) embedding * queryWidth() * 2                     // attn_q, attn_output
                + (long) embedding * kvWidth() * 2                        // attn_k, attn_v
                + 2L * headDim                                            // attn_q_norm, attn_k_norm
                + 3L * embedding * feedForward;                           // ffn_gate, ffn_up, ffn_down
        long embeddings = (long) vocab * embedding * (tiedEmbeddings ? 1 : 2);
        return layers * perLayer + embeddings + embedding;                // + output_norm
    }
}
