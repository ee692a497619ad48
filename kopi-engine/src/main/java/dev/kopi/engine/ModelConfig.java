package dev.kopi.engine;

import java.util.List;

/**
 * The hyper-parameters of a decoder-only transformer, read from GGUF metadata under the architecture's prefix.
 *
 * @param architecture      the model family
 * @param blockCount        transformer layers ({@code block_count})
 * @param embeddingLength   width of the residual stream ({@code embedding_length})
 * @param feedForwardLength hidden width of the FFN ({@code feed_forward_length})
 * @param headCount         query heads ({@code attention.head_count})
 * @param headCountKv       key/value heads, fewer than query heads under grouped-query attention
 * @param keyLength         width of a query/key head ({@code attention.key_length}); not always
 *                          embedding/heads (Qwen3-0.6B: 1024 wide, 16 heads of 128)
 * @param valueLength       width of a value head ({@code attention.value_length})
 * @param rmsEps            epsilon of every RMSNorm ({@code attention.layer_norm_rms_epsilon})
 * @param contextLength     the context the model was trained for ({@code context_length})
 * @param rope              rotary embedding parameters (of the global layers, where some are windowed)
 * @param localRope         rotary embedding parameters of the sliding-window layers ({@code rope} when none)
 * @param attention         how attention scores are formed: scale, soft-capping, sliding window
 * @param finalLogitSoftcap {@code c} in {@code logits = c · tanh(logits / c)}, 0 for none
 *                          ({@code final_logit_softcapping})
 * @param xielu             Apertus's per-layer activation parameters ({@code xielu.*}); empty for other families
 * @param endTokens         token ids that end a generation, from {@code tokenizer.ggml.eos_token_id},
 *                          {@code eot_token_id} and {@code eom_token_id} (those present)
 */
public record ModelConfig(Architecture architecture, int blockCount, int embeddingLength, int feedForwardLength,
                          int headCount, int headCountKv, int keyLength, int valueLength, float rmsEps,
                          int contextLength, RopeConfig rope, RopeConfig localRope, AttentionConfig attention,
                          float finalLogitSoftcap, List<Xielu> xielu, List<Integer> endTokens) {

    private static final List<String> END_TOKEN_KEYS = List.of(
            "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id");

    /**
     * How a layer turns queries and keys into attention weights:
     * {@code softmax(softcap(scale · q·k))} over the visible positions.
     *
     * @param scale         multiplies every query-key dot product (usually {@code 1/sqrt(keyLength)})
     * @param logitSoftcap  {@code c} in {@code c · tanh(s / c)} applied to the scaled scores, 0 for none
     *                      ({@code attn_logit_softcapping})
     * @param slidingWindow which layers see only recent positions
     */
    public record AttentionConfig(float scale, float logitSoftcap, SlidingWindow slidingWindow) {
        /** Plain scaled dot-product attention over all past positions. */
        public static AttentionConfig standard(int keyLength) {
            return new AttentionConfig((float) (1.0 / Math.sqrt(keyLength)), 0.0f, SlidingWindow.NONE);
        }
    }

    public ModelConfig {
        endTokens = List.copyOf(endTokens);
        xielu = List.copyOf(xielu);
        if (headCount % headCountKv != 0) {
            throw new ModelException("attention.head_count " + headCount + " is not a multiple of head_count_kv "
                    + headCountKv);
        }
        for (RopeConfig r : List.of(rope, localRope)) {
            if (r.dimensions() > keyLength || r.dimensions() % 2 != 0) {
                throw new ModelException("rope.dimension_count " + r.dimensions()
                        + " must be even and at most the key length " + keyLength);
            }
        }
    }

    /**
     * Reads the configuration of the architecture named by {@code general.architecture}.
     *
     * @throws UnsupportedArchitectureException if the engine does not know the architecture
     * @throws ModelException naming the key if a required key is missing or malformed
     */
    public static ModelConfig fromMetadata(MetadataView meta) {
        Architecture architecture = Architecture.fromGguf(meta.string("general.architecture"));
        String p = architecture.ggufName() + ".";
        int layers = meta.positiveInt(p + "block_count");
        int embedding = meta.positiveInt(p + "embedding_length");
        int heads = meta.positiveInt(p + "attention.head_count");
        int keyLength = meta.positiveInt(p + "attention.key_length", embedding / heads);
        int context = meta.positiveInt(p + "context_length");
        RopeConfig rope = RopeConfig.fromMetadata(meta, architecture.ggufName(), keyLength, context);
        return new ModelConfig(
                architecture,
                layers,
                embedding,
                meta.positiveInt(p + "feed_forward_length"),
                heads,
                meta.positiveInt(p + "attention.head_count_kv", heads),
                keyLength,
                meta.positiveInt(p + "attention.value_length", keyLength),
                meta.real(p + "attention.layer_norm_rms_epsilon", 1e-6f),
                context,
                rope,
                localRope(meta, architecture, rope),
                attention(meta, architecture, layers, embedding, heads, keyLength),
                finalLogitSoftcap(meta, architecture),
                xielu(meta, architecture, layers),
                END_TOKEN_KEYS.stream().filter(meta::has).map(k -> meta.integer(k, -1)).distinct().toList());
    }

    /**
     * The rotation of sliding-window layers, as llama.cpp's {@code get_rope_freq_base/scale} give it: Gemma 3's
     * local layers use {@code rope.freq_base_swa} (10,000 when absent) without position scaling, Gemma 2's the
     * global base (or {@code rope.freq_base_swa}) and scale.
     */
    private static RopeConfig localRope(MetadataView meta, Architecture architecture, RopeConfig rope) {
        String key = architecture.ggufName() + ".rope.freq_base_swa";
        return switch (architecture) {
            case GEMMA3 -> rope.withBase(meta.real(key, 10000.0f), 1.0f);
            case GEMMA2 -> rope.withBase(meta.real(key, rope.freqBase()), rope.freqScale());
            default -> rope;
        };
    }

    /**
     * Attention scale, soft-capping and sliding window. Gemma scales queries by {@code 1/sqrt(query_pre_attn_scalar)},
     * which GGUF does not record: llama.cpp takes it to be the key length, except for the 27B models (Gemma 2: 46
     * layers, Gemma 3: 62), where it is {@code embedding / heads}; that matches every published configuration.
     * Gemma 2 soft-caps scores ({@code attn_logit_softcapping}, default 50) and windows every other layer
     * ({@code attention.sliding_window}, default 4096); Gemma 3 windows five layers in six when the file has a
     * window.
     */
    private static AttentionConfig attention(MetadataView meta, Architecture architecture, int layers,
                                             int embedding, int heads, int keyLength) {
        String p = architecture.ggufName() + ".";
        boolean gemma27b = architecture == Architecture.GEMMA2 && layers == 46
                || architecture == Architecture.GEMMA3 && layers == 62;
        float scale = (float) (1.0 / Math.sqrt(gemma27b ? embedding / heads : keyLength));
        return switch (architecture) {
            case GEMMA2 -> new AttentionConfig(scale, meta.real(p + "attn_logit_softcapping", 50.0f),
                    new SlidingWindow(meta.integer(p + "attention.sliding_window", 4096),
                            meta.integer(p + "attention.sliding_window_pattern", 2)));
            case GEMMA3 -> new AttentionConfig(scale, 0.0f, meta.integer(p + "attention.sliding_window", 0) > 0
                    ? new SlidingWindow(meta.integer(p + "attention.sliding_window", 0),
                            meta.integer(p + "attention.sliding_window_pattern", 6))
                    : SlidingWindow.NONE);
            default -> AttentionConfig.standard(keyLength);
        };
    }

    /** Gemma 2 always soft-caps its logits (30 unless the file says otherwise), Gemma 3 where the file says so. */
    private static float finalLogitSoftcap(MetadataView meta, Architecture architecture) {
        String key = architecture.ggufName() + ".final_logit_softcapping";
        return switch (architecture) {
            case GEMMA2 -> meta.real(key, 30.0f);
            case GEMMA3 -> meta.real(key, 0.0f);
            default -> 0.0f;
        };
    }

    /** Apertus's xIELU parameters, one set per layer ({@code xielu.alpha_n/alpha_p/beta/eps}, all required). */
    private static List<Xielu> xielu(MetadataView meta, Architecture architecture, int layers) {
        if (architecture != Architecture.APERTUS) {
            return List.of();
        }
        float[] alphaN = meta.realPerLayer("xielu.alpha_n", layers);
        float[] alphaP = meta.realPerLayer("xielu.alpha_p", layers);
        float[] beta = meta.realPerLayer("xielu.beta", layers);
        float[] eps = meta.realPerLayer("xielu.eps", layers);
        return java.util.stream.IntStream.range(0, layers)
                .mapToObj(l -> Xielu.ofTrained(alphaN[l], alphaP[l], beta[l], eps[l])).toList();
    }

    /** Width of all query heads together. */
    public int queryDim() {
        return headCount * keyLength;
    }

    /** Width of all key heads together: one token's row of the key cache. */
    public int keyDim() {
        return headCountKv * keyLength;
    }

    /** Width of all value heads together: one token's row of the value cache. */
    public int valueDim() {
        return headCountKv * valueLength;
    }
}
