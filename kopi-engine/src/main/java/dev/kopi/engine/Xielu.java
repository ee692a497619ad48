package dev.kopi.engine;

/**
 * xIELU, Apertus's trainable activation, with one parameter set per layer. Stored as ggml's {@code ggml_xielu}
 * keeps its operands: {@code alphaN = beta + softplus(alpha_n)} and {@code alphaP = softplus(alpha_p)} of the
 * trained values, so that
 *
 * <pre>
 *   xielu(x) = alphaP · x² + beta · x                          for x > 0
 *            = (expm1(min(x, eps)) − x) · alphaN + beta · x     otherwise
 * </pre>
 *
 * exactly as ggml-cpu's {@code op_xielu} computes it in float.
 */
record Xielu(float alphaN, float alphaP, float beta, float eps) implements Activation {

    /** The activation of a layer whose trained parameters are {@code alpha_n}, {@code alpha_p}, {@code beta}, {@code eps}. */
    static Xielu ofTrained(float alphaN, float alphaP, float beta, float eps) {
        return new Xielu(beta + softplus(alphaN), softplus(alphaP), beta, eps);
    }

    /** ggml's {@code ggml_compute_softplus_f32}. */
    private static float softplus(float x) {
        return x > 20.0f ? x : (float) Math.log(1.0f + (float) Math.exp(x));
    }

    @Override
    public void apply(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float v = x[i];
            x[i] = v > 0.0f
                    ? alphaP * v * v + beta * v
                    : ((float) Math.expm1(Math.min(v, eps)) - v) * alphaN + beta * v;
        }
    }
}
