package dev.kopi.engine;

import dev.kopi.kernels.VectorOps;

/**
 * Rotary position embedding: the rotation angles of a position, including YaRN and per-dimension frequency
 * factors (llama3-style {@code rope_freqs}), computed exactly as ggml's {@code ggml_rope_cache_init}/{@code rope_yarn}
 * do in float arithmetic so rotations agree with llama.cpp's, and the rotation of a head by them.
 */
public final class Rope {
    /** Which values of a head are rotated together, as llama.cpp's {@code llama_rope_type} says per architecture. */
    public enum Style {
        /** Consecutive pairs {@code (2i, 2i + 1)} ({@code LLAMA_ROPE_TYPE_NORM}: Llama). */
        NORMAL,
        /** Pairs {@code (i, i + dims/2)} ({@code LLAMA_ROPE_TYPE_NEOX}: Qwen, Gemma, Apertus). */
        NEOX
    }

    private final RopeConfig config;
    private final Style style;
    /** Divisors of each pair's frequency ({@code rope_freqs.weight}), or null when all are 1. */
    private final float[] freqFactors;
    private final float thetaScale;
    private final float corrLow;
    private final float corrHigh;

    /** NEOX rotation without frequency factors. */
    public Rope(RopeConfig config) {
        this(config, Style.NEOX, null);
    }

    /**
     * @param freqFactors one divisor per rotated pair ({@code dimensions()/2}), or null
     */
    public Rope(RopeConfig config, Style style, float[] freqFactors) {
        if (freqFactors != null && freqFactors.length != config.dimensions() / 2) {
            throw new ModelException("rope frequency factors have " + freqFactors.length + " values, expected "
                    + config.dimensions() / 2);
        }
        this.config = config;
        this.style = style;
        this.freqFactors = freqFactors == null ? null : freqFactors.clone();
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
            float thetaExtrap = freqFactors == null ? theta : theta / freqFactors[i];
            float thetaInterp = freqScale * thetaExtrap;
            float angle = thetaInterp;
            float mscale = config.attnFactor();
            if (extFactor != 0.0f) {
                float rampMix = ramp(2 * i) * extFactor;
                angle = thetaInterp * (1 - rampMix) + thetaExtrap * rampMix;
                mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
            }
            cos[off + i] = (float) Math.cos(angle) * mscale;
            sin[off + i] = (float) Math.sin(angle) * mscale;
            theta *= thetaScale;
        }
    }

    /**
     * Rotates the first {@code dimensions()} values of the head at {@code x[off ..]} in place by the angles at
     * {@code cos/sin[tableOff ..]} (as {@link #angles} wrote them).
     */
    public void rotate(float[] x, int off, float[] cos, float[] sin, int tableOff) {
        if (style == Style.NEOX) {
            VectorOps.ropeNeox(x, off, config.dimensions(), cos, sin, tableOff);
            return;
        }
        for (int i = 0; i < config.dimensions() / 2; i++) {
            float x0 = x[off + 2 * i];
            float x1 = x[off + 2 * i + 1];
            float c = cos[tableOff + i];
            float s = sin[tableOff + i];
            x[off + 2 * i] = x0 * c - x1 * s;
            x[off + 2 * i + 1] = x0 * s + x1 * c;
        }
    }

    /** 1 for dimensions that keep extrapolated angles, 0 for interpolated ones, linear in between. */
    private float ramp(int i0) {
        float y = (i0 / 2 - corrLow) / Math.max(0.001f, corrHigh - corrLow);
        return 1 - Math.min(1, Math.max(0, y));
    }
}
