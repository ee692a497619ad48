package dev.kopi.engine;

import dev.kopi.kernels.VectorOps;

/**
 * The non-linearity of a feed-forward block, applied in place to a range of the hidden activations. A gated block
 * ({@code act(gate) * up}) calls {@link #applyGated}; an ungated one ({@code act(up)}, Apertus) calls {@link #apply}.
 */
interface Activation {
    /** {@code x[off + i] = act(x[off + i])} for {@code i < n}. */
    void apply(float[] x, int off, int n);

    /** {@code gate[off + i] = act(gate[off + i]) * up[off + i]} for {@code i < n}. */
    default void applyGated(float[] gate, float[] up, int off, int n) {
        apply(gate, off, n);
        for (int i = off; i < off + n; i++) {
            gate[i] *= up[i];
        }
    }

    /** SiLU, {@code x / (1 + e^-x)} (SwiGLU when gated: Llama, Qwen3). */
    Activation SILU = new Activation() {
        @Override
        public void apply(float[] x, int off, int n) {
            for (int i = off; i < off + n; i++) {
                x[i] = x[i] / (1.0f + (float) Math.exp(-x[i]));
            }
        }

        @Override
        public void applyGated(float[] gate, float[] up, int off, int n) {
            VectorOps.siluMul(gate, off, up, off, gate, off, n);
        }
    };

    /** GELU in its tanh approximation, as ggml's {@code gelu} (GeGLU when gated: Gemma). */
    Activation GELU_TANH = (x, off, n) -> {
        for (int i = off; i < off + n; i++) {
            float v = x[i];
            x[i] = 0.5f * v * (1.0f + (float) Math.tanh(0.7978845608028654f * v * (1.0f + 0.044715f * v * v)));
        }
    };
}
