package dev.kopi.engine.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.kopi.engine.Architecture;

/**
 * The hyperparameters of a dense model of one of the engine's architectures: enough to lay out every tensor and
 * write the GGUF metadata as llama.cpp's converter writes it.
 *
 * <p>The named shapes are those of the published checkpoints (their {@code config.json}): Qwen3 0.6B … 32B
 * ({@code 32b} is also Qwen-SEA-LION-v4-32B-IT), Llama 3.1 8B and 70B (SEA-LION v3/v3.5), Apertus 8B
 * (Apertus-SEA-LION-v4-8B-IT), Gemma 3 1B … 27B text (SEA-LION v4 27B) and Gemma 2 2B, 9B and 27B (SEA-LION v3 9B).
 * Each architecture's {@code tiny} keeps the real vocabulary, so the real tokenizer and chat template work with
 * it, but is small enough for fast tests; it keeps the architecture's features too (Gemma's windowed and global
 * layers, with a 16-position window so short prompts cross it).
 *
 * @param architecture     the family
 * @param name             the shape's name ({@code tiny}, {@code 8b}, ...)
 * @param layers           transformer blocks
 * @param embedding        width of the residual stream
 * @param heads            query heads
 * @param kvHeads          key/value heads
 * @param headDim          width of a head
 * @param feedForward      hidden width of the MLP
 * @param vocab            rows of the token embedding
 * @param tiedEmbeddings   true if the output matrix is the token embedding (no {@code output.weight})
 * @param contextLength    the training context
 * @param rmsEpsilon       epsilon of every RMSNorm
 * @param ropeTheta        RoPE base (of the global layers)
 * @param ropeLocalTheta   RoPE base of Gemma 3's sliding-window layers, 0 if not written
 * @param ropeLinearFactor linear position scaling of the global layers ({@code rope.scaling.factor}), 0 for none
 * @param llama3Rope       Llama 3's long-context RoPE, written as {@code rope_freqs.weight}; null for none
 * @param slidingWindow    positions a windowed layer sees, 0 for none
 * @param attentionSoftcap Gemma 2's attention logit soft-capping, 0 for none
 * @param finalSoftcap     Gemma 2's final logit soft-capping, 0 for none
 */
public record ModelShape(
        Architecture architecture,
        String name,
        int layers,
        int embedding,
        int heads,
        int kvHeads,
        int headDim,
        int feedForward,
        int vocab,
        boolean tiedEmbeddings,
        int contextLength,
        float rmsEpsilon,
        float ropeTheta,
        float ropeLocalTheta,
        float ropeLinearFactor,
        Llama3Rope llama3Rope,
        int slidingWindow,
        float attentionSoftcap,
        float finalSoftcap) {

    /**
     * Llama 3's RoPE scaling ({@code rope_type: llama3}), which llama.cpp's converter turns into one frequency
     * divisor per rotated pair.
     */
    public record Llama3Rope(float factor, float lowFreqFactor, float highFreqFactor, int originalContext) {
        /** Llama 3.1's and Apertus's values. */
        static final Llama3Rope LLAMA_3_1 = new Llama3Rope(8.0f, 1.0f, 4.0f, 8192);

        /** The divisor of each of the {@code headDim / 2} pair frequencies of a RoPE with base {@code theta}. */
        public float[] factors(int headDim, float theta) {
            float[] factors = new float[headDim / 2];
            double lowFreqWavelength = originalContext / lowFreqFactor;
            double highFreqWavelength = originalContext / highFreqFactor;
            for (int i = 0; i < factors.length; i++) {
                double freq = 1.0 / Math.pow(theta, 2.0 * i / headDim);
                double wavelength = 2 * Math.PI / freq;
                if (wavelength < highFreqWavelength) {
                    factors[i] = 1.0f;
                } else if (wavelength > lowFreqWavelength) {
                    factors[i] = factor;
                } else {
                    double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    factors[i] = (float) (1 / ((1 - smooth) / factor + smooth));
                }
            }
            return factors;
        }
    }

    private static final int QWEN3_VOCAB = 151936;
    private static final int LLAMA3_VOCAB = 128256;
    private static final int APERTUS_VOCAB = 131072;
    private static final int GEMMA3_VOCAB = 262208;
    private static final int GEMMA3_1B_VOCAB = 262144;
    private static final int GEMMA2_VOCAB = 256000;
    /** The window of the tiny Gemmas: short enough that a 64-token prompt crosses it. */
    private static final int TINY_WINDOW = 16;

    /** The shapes {@link #named} knows, per architecture, smallest first. */
    public static final List<ModelShape> KNOWN = List.of(
            qwen3("tiny", 2, 256, 4, 2, 64, 512, true),
            qwen3("0.6b", 28, 1024, 16, 8, 128, 3072, true),
            qwen3("1.7b", 28, 2048, 16, 8, 128, 6144, true),
            qwen3("4b", 36, 2560, 32, 8, 128, 9728, true),
            qwen3("8b", 36, 4096, 32, 8, 128, 12288, false),
            qwen3("14b", 40, 5120, 40, 8, 128, 17408, false),
            qwen3("32b", 64, 5120, 64, 8, 128, 25600, false),
            llama("tiny", 2, 256, 4, 2, 512),
            llama("8b", 32, 4096, 32, 8, 14336),
            llama("70b", 80, 8192, 64, 8, 28672),
            apertus("tiny", 2, 256, 4, 2, 512),
            apertus("8b", 32, 4096, 32, 8, 21504),
            gemma3("tiny", 6, 256, 4, 2, 64, 512, GEMMA3_VOCAB, TINY_WINDOW, 8.0f),
            gemma3("1b", 26, 1152, 4, 1, 256, 6912, GEMMA3_1B_VOCAB, 512, 0.0f),
            gemma3("4b", 34, 2560, 8, 4, 256, 10240, GEMMA3_VOCAB, 1024, 8.0f),
            gemma3("12b", 48, 3840, 16, 8, 256, 15360, GEMMA3_VOCAB, 1024, 8.0f),
            gemma3("27b", 62, 5376, 32, 16, 128, 21504, GEMMA3_VOCAB, 1024, 8.0f),
            gemma2("tiny", 2, 256, 4, 2, 64, 512, TINY_WINDOW),
            gemma2("2b", 26, 2304, 8, 4, 256, 9216, 4096),
            gemma2("9b", 42, 3584, 16, 8, 256, 14336, 4096),
            gemma2("27b", 46, 4608, 32, 16, 128, 36864, 4096));

    public ModelShape {
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

    private static ModelShape qwen3(String name, int layers, int embedding, int heads, int kvHeads, int headDim,
                                    int feedForward, boolean tied) {
        return new ModelShape(Architecture.QWEN3, name, layers, embedding, heads, kvHeads, headDim, feedForward,
                QWEN3_VOCAB, tied, 40960, 1e-6f, 1_000_000f, 0, 0, null, 0, 0, 0);
    }

    private static ModelShape llama(String name, int layers, int embedding, int heads, int kvHeads, int feedForward) {
        return new ModelShape(Architecture.LLAMA, name, layers, embedding, heads, kvHeads, embedding / heads,
                feedForward, LLAMA3_VOCAB, false, 131072, 1e-5f, 500_000f, 0, 0, Llama3Rope.LLAMA_3_1, 0, 0, 0);
    }

    private static ModelShape apertus(String name, int layers, int embedding, int heads, int kvHeads, int feedForward) {
        return new ModelShape(Architecture.APERTUS, name, layers, embedding, heads, kvHeads, embedding / heads,
                feedForward, APERTUS_VOCAB, false, 65536, 1e-5f, 12_000_000f, 0, 0, Llama3Rope.LLAMA_3_1, 0, 0, 0);
    }

    private static ModelShape gemma3(String name, int layers, int embedding, int heads, int kvHeads, int headDim,
                                     int feedForward, int vocab, int window, float linearFactor) {
        return new ModelShape(Architecture.GEMMA3, name, layers, embedding, heads, kvHeads, headDim, feedForward,
                vocab, true, linearFactor > 0 ? 131072 : 32768, 1e-6f, 1_000_000f, 10_000f, linearFactor, null,
                window, 0, 0);
    }

    private static ModelShape gemma2(String name, int layers, int embedding, int heads, int kvHeads, int headDim,
                                     int feedForward, int window) {
        return new ModelShape(Architecture.GEMMA2, name, layers, embedding, heads, kvHeads, headDim, feedForward,
                GEMMA2_VOCAB, true, 8192, 1e-6f, 10_000f, 0, 0, null, window, 50.0f, 30.0f);
    }

    /**
     * The {@code architecture} shape called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the architecture's known names
     */
    public static ModelShape named(Architecture architecture, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return KNOWN.stream().filter(s -> s.architecture == architecture && s.name.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown " + architecture.ggufName() + " shape '"
                        + name + "'; known: " + String.join(", ", namesOf(architecture))));
    }

    /** The names of {@code architecture}'s known shapes, smallest first. */
    public static List<String> namesOf(Architecture architecture) {
        return KNOWN.stream().filter(s -> s.architecture == architecture).map(ModelShape::name).toList();
    }

    /** This shape with other dimensions (for tests of layer-dependent rules on narrow, deep models). */
    public ModelShape resized(String newName, int newLayers, int newEmbedding, int newHeads, int newKvHeads,
                              int newHeadDim, int newFeedForward, boolean tied) {
        return new ModelShape(architecture, newName, newLayers, newEmbedding, newHeads, newKvHeads, newHeadDim,
                newFeedForward, vocab, tied, contextLength, rmsEpsilon, ropeTheta, ropeLocalTheta, ropeLinearFactor,
                llama3Rope, slidingWindow, attentionSoftcap, finalSoftcap);
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

    /** Whether the layers normalise queries and keys per head (Qwen3, Apertus, Gemma 3). */
    public boolean headNorms() {
        return architecture == Architecture.QWEN3 || architecture == Architecture.APERTUS
                || architecture == Architecture.GEMMA3;
    }

    /** Whether the MLP is gated ({@code ffn_gate}); Apertus's is not. */
    public boolean gatedFeedForward() {
        return architecture != Architecture.APERTUS;
    }

    /** Whether both blocks are followed by a norm too (Gemma's {@code post_attention_norm}, {@code post_ffw_norm}). */
    public boolean postNorms() {
        return architecture == Architecture.GEMMA2 || architecture == Architecture.GEMMA3;
    }

    /** Number of weights, as {@code llama_model_n_params} counts them (the output matrix once if untied). */
    public long parameterCount() {
        return SyntheticTensor.of(this).stream().mapToLong(t -> t.rowLength() * t.rows()).sum();
    }

    @Override
    public String toString() {
        return architecture.ggufName() + " " + name;
    }

    /** Every architecture's known shape names, for messages. */
    static String allNames() {
        return String.join("; ", Arrays.stream(Architecture.values())
                .map(a -> a.ggufName() + ": " + String.join(", ", namesOf(a))).toList());
    }
}
