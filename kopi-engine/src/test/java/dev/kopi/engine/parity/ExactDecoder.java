package dev.kopi.engine.parity;

import java.util.stream.IntStream;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.ModelShape;

/**
 * The test oracle: a plain forward pass of any of the engine's architectures over given weights, in F32
 * activations with double accumulation, written from the model definitions (Hugging Face's modelling code, read
 * against llama.cpp's GGUF layout) and sharing no code with the engine.
 *
 * <p>Per layer: RMSNorm, Q/K/V projections, per-head RMSNorm of Q and K (Qwen3, Apertus, Gemma 3), RoPE (NEOX pairs
 * {@code (i, i + d/2)}, or Llama's consecutive pairs, which is how llama.cpp's converter lays out Llama's Q and K;
 * Llama 3's per-pair frequency divisors; Gemma 3's linear position scaling on global layers and base 10,000 on
 * sliding ones), causal grouped-query attention (scaled by {@code 1/sqrt(query_pre_attn_scalar)} for Gemma,
 * soft-capped for Gemma 2, windowed on Gemma's sliding layers: Gemma 2 every other layer, Gemma 3 five in six),
 * output projection, Gemma's post-attention norm, residual; RMSNorm, the MLP (SwiGLU; Gemma's GELU-tanh GLU;
 * Apertus's ungated xIELU), Gemma's post-MLP norm, residual. Then the final RMSNorm, the output matrix (the token
 * embeddings if tied) and Gemma 2's final soft-capping. Gemma scales the embeddings by {@code sqrt(width)}.
 *
 * <p>All positions go through each layer together, so every weight row is dequantized once per pass.
 */
final class ExactDecoder {

    /** Where the weights come from: F32 values of rows of a named tensor. */
    interface Weights {
        /** Writes rows {@code firstRow..firstRow+count-1} of {@code tensor} into {@code out}, row-major. */
        void rows(String tensor, long firstRow, int count, float[] out);
    }

    private final ModelShape shape;
    private final Weights weights;
    private final float[][] xielu;
    private final Architecture arch;
    private final boolean gemma;

    /**
     * @param xielu Apertus's trained xIELU parameters per layer, {@code {alpha_n, alpha_p, beta, eps}} (the
     *              {@code xielu.*} metadata arrays); null for the other architectures
     */
    ExactDecoder(ModelShape shape, Weights weights, float[][] xielu) {
        this.shape = shape;
        this.weights = weights;
        this.xielu = xielu;
        this.arch = shape.architecture();
        this.gemma = arch == Architecture.GEMMA2 || arch == Architecture.GEMMA3;
    }

    /** The logits of every position of {@code tokens}, evaluated from position 0. */
    float[][] logits(int[] tokens) {
        int n = tokens.length;
        int e = shape.embedding();
        float[][] x = new float[n][e];
        for (int t = 0; t < n; t++) {
            weights.rows("token_embd.weight", tokens[t], 1, x[t]);
            if (gemma) {
                for (int i = 0; i < e; i++) {
                    x[t][i] = (float) (x[t][i] * Math.sqrt(e));
                }
            }
        }
        float[] ropeFactors = shape.llama3Rope() == null ? null : vector("rope_freqs.weight", shape.headDim() / 2);
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            boolean sliding = isSliding(l);
            float[][] h = rmsNorm(x, vector(p + "attn_norm.weight", e));
            float[][] q = matmul(p + "attn_q.weight", h, shape.queryWidth());
            float[][] k = matmul(p + "attn_k.weight", h, shape.kvWidth());
            float[][] v = matmul(p + "attn_v.weight", h, shape.kvWidth());
            float[] qNorm = hasHeadNorms() ? vector(p + "attn_q_norm.weight", shape.headDim()) : null;
            float[] kNorm = hasHeadNorms() ? vector(p + "attn_k_norm.weight", shape.headDim()) : null;
            for (int t = 0; t < n; t++) {
                headNormAndRope(q[t], shape.heads(), qNorm, t, sliding, ropeFactors);
                headNormAndRope(k[t], shape.kvHeads(), kNorm, t, sliding, ropeFactors);
            }
            float[][] attended = attention(q, k, v, sliding);
            float[][] attnOut = matmul(p + "attn_output.weight", attended, e);
            add(x, gemma ? rmsNorm(attnOut, vector(p + "post_attention_norm.weight", e)) : attnOut);
            float[][] h2 = rmsNorm(x, vector(p + "ffn_norm.weight", e));
            float[][] hidden = mlp(p, h2, l);
            float[][] mlpOut = matmul(p + "ffn_down.weight", hidden, e);
            add(x, gemma ? rmsNorm(mlpOut, vector(p + "post_ffw_norm.weight", e)) : mlpOut);
        }
        float[][] out = rmsNorm(x, vector("output_norm.weight", e));
        float[][] logits = matmul(shape.tiedEmbeddings() ? "token_embd.weight" : "output.weight", out, shape.vocab());
        if (arch == Architecture.GEMMA2) {
            softcap(logits, shape.finalSoftcap());
        }
        return logits;
    }

    private boolean hasHeadNorms() {
        return arch == Architecture.QWEN3 || arch == Architecture.APERTUS || arch == Architecture.GEMMA3;
    }

    /** Gemma's {@code layer_types}: layer {@code l} is sliding unless {@code (l + 1)} is a multiple of the period. */
    private boolean isSliding(int l) {
        return switch (arch) {
            case GEMMA2 -> (l + 1) % 2 != 0;
            case GEMMA3 -> (l + 1) % 6 != 0;
            default -> false;
        };
    }

    /** The hidden activations of the MLP of layer {@code l} (before {@code ffn_down}). */
    private float[][] mlp(String p, float[][] h, int l) {
        int f = shape.feedForward();
        float[][] up = matmul(p + "ffn_up.weight", h, f);
        float[][] gate = arch == Architecture.APERTUS ? null : matmul(p + "ffn_gate.weight", h, f);
        for (int t = 0; t < h.length; t++) {
            for (int i = 0; i < f; i++) {
                double u = up[t][i];
                up[t][i] = (float) switch (arch) {
                    case APERTUS -> xielu(u, xielu[l]);
                    case GEMMA2, GEMMA3 -> geluTanh(gate[t][i]) * u;
                    default -> silu(gate[t][i]) * u;
                };
            }
        }
        return up;
    }

    private static double silu(double g) {
        return g / (1 + Math.exp(-g));
    }

    /** Hugging Face's {@code gelu_pytorch_tanh}. */
    private static double geluTanh(double g) {
        return 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)));
    }

    /** The Apertus XIELU module with trained {@code {alpha_n, alpha_p, beta, eps}}. */
    private static double xielu(double x, float[] params) {
        double beta = params[2];
        double alphaP = softplus(params[1]);
        double alphaN = beta + softplus(params[0]);
        return x > 0 ? alphaP * x * x + beta * x : (Math.expm1(Math.min(x, params[3])) - x) * alphaN + beta * x;
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    private float[] vector(String name, int length) {
        float[] v = new float[length];
        weights.rows(name, 0, 1, v);
        return v;
    }

    private float[][] rmsNorm(float[][] x, float[] gain) {
        float[][] out = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = rmsNorm(x[t], 0, x[t].length, gain);
        }
        return out;
    }

    private float[] rmsNorm(float[] x, int from, int length, float[] gain) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) x[from + i] * x[from + i];
        }
        double scale = 1 / Math.sqrt(sum / length + shape.rmsEpsilon());
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) (x[from + i] * scale * gain[i]);
        }
        return out;
    }

    private void headNormAndRope(float[] heads, int count, float[] gain, int position, boolean sliding,
                                 float[] ropeFactors) {
        int d = shape.headDim();
        int half = d / 2;
        double base = sliding && arch == Architecture.GEMMA3 ? shape.ropeLocalTheta() : shape.ropeTheta();
        double positionScale = !sliding && shape.ropeLinearFactor() > 0 ? 1 / shape.ropeLinearFactor() : 1;
        boolean consecutivePairs = arch == Architecture.LLAMA;
        for (int h = 0; h < count; h++) {
            float[] head = gain == null ? java.util.Arrays.copyOfRange(heads, h * d, (h + 1) * d)
                    : rmsNorm(heads, h * d, d, gain);
            for (int i = 0; i < half; i++) {
                double frequency = Math.pow(base, -2.0 * i / d) / (ropeFactors == null ? 1 : ropeFactors[i]);
                double angle = position * positionScale * frequency;
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                int i0 = consecutivePairs ? 2 * i : i;
                int i1 = consecutivePairs ? 2 * i + 1 : i + half;
                double a = head[i0];
                double b = head[i1];
                heads[h * d + i0] = (float) (a * cos - b * sin);
                heads[h * d + i1] = (float) (a * sin + b * cos);
            }
        }
    }

    /**
     * Causal attention; a sliding layer sees the last {@code sliding_window} positions. Gemma scales by
     * {@code 1/sqrt(query_pre_attn_scalar)}: the head size, but {@code width / heads} in the 27B configurations.
     */
    private float[][] attention(float[][] q, float[][] k, float[][] v, boolean sliding) {
        int n = q.length;
        int d = shape.headDim();
        int group = shape.groupSize();
        double queryPreAttnScalar = gemma && shape.name().equals("27b") ? shape.embedding() / shape.heads() : d;
        double scale = 1 / Math.sqrt(queryPreAttnScalar);
        double cap = arch == Architecture.GEMMA2 ? shape.attentionSoftcap() : 0;
        float[][] out = new float[n][shape.queryWidth()];
        for (int t = 0; t < n; t++) {
            int first = sliding ? Math.max(0, t - shape.slidingWindow() + 1) : 0;
            for (int h = 0; h < shape.heads(); h++) {
                int kv = h / group;
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = first; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += (double) q[t][h * d + i] * k[s][kv * d + i];
                    }
                    scores[s] = cap > 0 ? cap * Math.tanh(dot * scale / cap) : dot * scale;
                    max = Math.max(max, scores[s]);
                }
                double total = 0;
                for (int s = first; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    total += scores[s];
                }
                for (int i = 0; i < d; i++) {
                    double acc = 0;
                    for (int s = first; s <= t; s++) {
                        acc += scores[s] * v[s][kv * d + i];
                    }
                    out[t][h * d + i] = (float) (acc / total);
                }
            }
        }
        return out;
    }

    private static void softcap(float[][] x, double cap) {
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (cap * Math.tanh(row[i] / cap));
            }
        }
    }

    private static void add(float[][] x, float[][] delta) {
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
                x[t][i] += delta[t][i];
            }
        }
    }

    /** {@code out[t][r] = Σ_i W[r][i] · in[t][i]} for a weight tensor of {@code rows} rows. */
    private float[][] matmul(String tensor, float[][] in, int rows) {
        int n = in.length;
        int width = in[0].length;
        float[][] out = new float[n][rows];
        int chunk = 64;
        IntStream.range(0, (rows + chunk - 1) / chunk).parallel().forEach(c -> {
            int first = c * chunk;
            int count = Math.min(chunk, rows - first);
            float[] w = new float[count * width];
            weights.rows(tensor, first, count, w);
            for (int r = 0; r < count; r++) {
                int base = r * width;
                for (int t = 0; t < n; t++) {
                    float[] x = in[t];
                    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    int i = 0;
                    for (; i + 3 < width; i += 4) {
                        a0 += (double) w[base + i] * x[i];
                        a1 += (double) w[base + i + 1] * x[i + 1];
                        a2 += (double) w[base + i + 2] * x[i + 2];
                        a3 += (double) w[base + i + 3] * x[i + 3];
                    }
                    for (; i < width; i++) {
                        a0 += (double) w[base + i] * x[i];
                    }
                    out[t][first + r] = (float) (a0 + a1 + a2 + a3);
                }
            }
        });
        return out;
    }
}
