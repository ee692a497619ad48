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
 * @param endTokens         token ids that end a generation, from {@code tokenizer.ggml.eos_token_id},
 *                          {@code eot_token_id} and {@code eom_token_id} (those present)
 */
public record ModelConfig(Architecture architecture, int blockCount, int embeddingLength, int feedForwardLength,
                          int headCount, int headCountKv, int keyLength, int valueLength, float rmsEps,
                          int contextLength, RopeConfig rope, RopeConfig localRope, AttentionConfig attention,
                          float finalLogitSoftcap, List<Integer> endTokens) {

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
                rope,
                AttentionConfig.standard(keyLength),
                0.0f,
                END_TOKEN_KEYS.stream().filter(meta::has).map(k -> meta.integer(k, -1)).distinct().toList());
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
