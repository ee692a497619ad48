package dev.kopi.engine;

/**
 * Rotary position embedding parameters, as llama.cpp derives them from GGUF metadata.
 *
 * @param dimensions      leading values of each head that are rotated ({@code rope.dimension_count})
 * @param freqBase        theta base ({@code rope.freq_base})
 * @param scaling         how positions beyond the training context are handled
 * @param freqScale       1 / {@code rope.scaling.factor}; 1 without scaling
 * @param originalContext {@code rope.scaling.original_context_length}: the context the model was trained at
 * @param extFactor       YaRN's extrapolation mix: 1 with YaRN, else 0
 * @param attnFactor      magnitude factor handed to the rotation (llama.cpp's {@code yarn_attn_factor})
 * @param betaFast        YaRN's high correction dimension parameter (32)
 * @param betaSlow        YaRN's low correction dimension parameter (1)
 */
public record RopeConfig(int dimensions, float freqBase, Scaling scaling, float freqScale, int originalContext,
                         float extFactor, float attnFactor, float betaFast, float betaSlow) {

    /** Position scaling schemes. */
    public enum Scaling { NONE, LINEAR, YARN }

    /** Plain NEOX RoPE without scaling. */
    public static RopeConfig unscaled(int dimensions, float freqBase) {
        return new RopeConfig(dimensions, freqBase, Scaling.NONE, 1.0f, 0, 0.0f, 1.0f, 32.0f, 1.0f);
    }

    /**
     * The same rotation with another theta base and position scale: the sliding-window layers of Gemma, which
     * llama.cpp rotates with {@code rope.freq_base_swa} and their own scale.
     */
    public RopeConfig withBase(float base, float scale) {
        return new RopeConfig(dimensions, base, scaling, scale, originalContext, extFactor, attnFactor, betaFast, betaSlow);
    }

    /**
     * Reads {@code <arch>.rope.*} like llama.cpp: scaling type (default linear), factor, original context
     * length (default the training context), attention factor; YaRN gets ext_factor 1 and an attention factor
     * that, combined with the mscale the rotation applies, scales cos/sin by {@code 1 + 0.1 ln(factor)}.
     */
    static RopeConfig fromMetadata(MetadataView meta, String arch, int headDim, int trainContext) {
        int dims = meta.positiveInt(arch + ".rope.dimension_count", headDim);
        float base = meta.real(arch + ".rope.freq_base", 10000.0f);
        String type = meta.string(arch + ".rope.scaling.type", "linear");
        float factor = meta.real(arch + ".rope.scaling.factor", 0.0f);
        int original = meta.positiveInt(arch + ".rope.scaling.original_context_length", trainContext);
        float ropeAttnFactor = meta.real(arch + ".rope.scaling.attn_factor", 1.0f);
        Scaling scaling = switch (type) {
            case "none" -> Scaling.NONE;
            case "linear" -> Scaling.LINEAR;
            case "yarn" -> Scaling.YARN;
            default -> throw new ModelException("unsupported rope scaling type '" + type + "' in metadata key "
                    + arch + ".rope.scaling.type (supported: none, linear, yarn)");
        };
        float freqScale = scaling == Scaling.NONE || factor == 0.0f ? 1.0f : 1.0f / factor;
        float extFactor = scaling == Scaling.YARN ? 1.0f : 0.0f;
        float attnFactor = 1.0f;
        if (extFactor != 0.0f) {
            float f = 1.0f / freqScale;
            float mscale = f <= 1.0f ? 1.0f : 0.1f * (float) Math.log(f) + 1.0f;
            attnFactor = mscale * (1.0f / (1.0f + 0.1f * (float) Math.log(f)));
        }
        attnFactor *= ropeAttnFactor;
        return new RopeConfig(dims, base, scaling, freqScale, original, extFactor, attnFactor, 32.0f, 1.0f);
    }
}
