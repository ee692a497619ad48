package dev.kopi.engine;

/**
 * The rotation angles of NEOX RoPE for a position, including YaRN, computed exactly as ggml's
 * {@code ggml_rope_cache_init}/{@code rope_yarn} do in float arithmetic so rotations agree with llama.cpp's.
 */
public final class Rope {
    private final RopeConfig config;
    private final float thetaScale;
    private final float corrLow;
    private final float corrHigh;

    public Rope(RopeConfig config) {
        this.config = config;
        this.thetaScale = (float) Math.pow(config.freqBase(), -2.0f / config.dimensions());
        int dims = config.dimensions();
        float start = (float) Math.floor(correctionDim(dims, config.originalContext(), config.betaFast(), config.freqBase()));
        float end = (float) Math.ceil(correctionDim(dims, config.originalContext(), config.betaSlow(), config.freqBase()));
        this.corrLow = Math.max(0, start);
        this.corrHigh = Math.min(dims - 1, end);
    }

    /** Values per head that are rotated. */
    public int dimensions() {
        return config.dimensions();
    }

    /** YaRN's first and last corrected dimension pair boundaries (ggml_rope_yarn_corr_dims). */
    float[] correctionDims() {
        return new float[] {corrLow, corrHigh};
    }

    /** The dimension at which a wavelength completes {@code rotations} turns within the original context. */
    private static float correctionDim(int dims, int originalContext, float rotations, float base) {
        return dims * (float) Math.log(originalContext / (rotations * 2 * (float) Math.PI)) / (2 * (float) Math.log(base));
    }

    /**
     * Writes {@code cos} and {@code sin} of the {@code dimensions()/2} angles of {@code position} to
     * {@code cos[off ..]} and {@code sin[off ..]}, each already multiplied by the magnitude scale.
     */
    public void angles(int position, float[] cos, float[] sin, int off) {
        float freqScale = config.freqScale();
        float extFactor = config.extFactor();
        float theta = position;
        int half = config.dimensions() / 2;
        for (int i = 0; i < half; i++) {
            float thetaInterp = freqScale * theta;
            float angle = thetaInterp;
            float mscale = config.attnFactor();
            if (extFactor != 0.0f) {
                float rampMix = ramp(2 * i) * extFactor;
                angle = thetaInterp * (1 - rampMix) + theta * rampMix;
                mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
            }
            cos[off + i] = (float) Math.cos(angle) * mscale;
            sin[off + i] = (float) Math.sin(angle) * mscale;
            theta *= thetaScale;
        }
    }

    /** 1 for dimensions that keep extrapolated angles, 0 for interpolated ones, linear in between. */
    private float ramp(int i0) {
        float y = (i0 / 2 - corrLow) / Math.max(0.001f, corrHigh - corrLow);
        return 1 - Math.min(1, Math.max(0, y));
    }
}
