package dev.kopi.engine.parity;

import java.util.stream.IntStream;

import dev.kopi.engine.synth.Qwen3Shape;

/**
 * The test oracle: a plain Qwen3 forward pass over given weights, in F32 activations with double accumulation,
 * written from the model definition and sharing no code with the engine.
 *
 * <p>Per layer: RMSNorm, Q/K/V projections, per-head RMSNorm of Q and K, NEOX RoPE (rotating element pairs
 * {@code (i, i + headDim/2)}), causal grouped-query attention, output projection and residual; RMSNorm, SwiGLU
 * feed-forward and residual. Then the final RMSNorm and the output matrix (the token embeddings if tied).
 *
 * <p>All positions go through each layer together, so every weight row is dequantized once per pass.
 */
final class ExactQwen3 {

    /** Where the weights come from: F32 values of rows of a named tensor. */
    interface Weights {
        /** Writes rows {@code firstRow..firstRow+count-1} of {@code tensor} into {@code out}, row-major. */
        void rows(String tensor, long firstRow, int count, float[] out);
    }

    private final Qwen3Shape shape;
    private final Weights weights;

    ExactQwen3(Qwen3Shape shape, Weights weights) {
        this.shape = shape;
        this.weights = weights;
    }

    /** The logits of every position of {@code tokens}, evaluated from position 0. */
    float[][] logits(int[] tokens) {
        int n = tokens.length;
        int e = shape.embedding();
        float[][] x = new float[n][e];
        for (int t = 0; t < n; t++) {
            weights.rows("token_embd.weight", tokens[t], 1, x[t]);
        }
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            float[][] h = rmsNorm(x, vector(p + "attn_norm.weight", e));
            float[][] q = matmul(p + "attn_q.weight", h, shape.queryWidth());
            float[][] k = matmul(p + "attn_k.weight", h, shape.kvWidth());
            float[][] v = matmul(p + "attn_v.weight", h, shape.kvWidth());
            float[] qNorm = vector(p + "attn_q_norm.weight", shape.headDim());
            float[] kNorm = vector(p + "attn_k_norm.weight", shape.headDim());
            for (int t = 0; t < n; t++) {
                headNormAndRope(q[t], shape.heads(), qNorm, t);
                headNormAndRope(k[t], shape.kvHeads(), kNorm, t);
            }
            float[][] attended = attention(q, k, v);
            add(x, matmul(p + "attn_output.weight", attended, e));
            float[][] h2 = rmsNorm(x, vector(p + "ffn_norm.weight", e));
            float[][] gate = matmul(p + "ffn_gate.weight", h2, shape.feedForward());
            float[][] up = matmul(p + "ffn_up.weight", h2, shape.feedForward());
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < shape.feedForward(); i++) {
                    double g = gate[t][i];
                    gate[t][i] = (float) (g / (1 + Math.exp(-g)) * up[t][i]);
                }
            }
            add(x, matmul(p + "ffn_down.weight", gate, e));
        }
        float[][] out = rmsNorm(x, vector("output_norm.weight", e));
        return matmul(shape.tiedEmbeddings() ? "token_embd.weight" : "output.weight", out, shape.vocab());
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

    private void headNormAndRope(float[] heads, int count, float[] gain, int position) {
        int d = shape.headDim();
        int half = d / 2;
        for (int h = 0; h < count; h++) {
            float[] normed = rmsNorm(heads, h * d, d, gain);
            for (int i = 0; i < half; i++) {
                double angle = position * Math.pow(shape.ropeTheta(), -2.0 * i / d);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                double a = normed[i];
                double b = normed[i + half];
                heads[h * d + i] = (float) (a * cos - b * sin);
                heads[h * d + i + half] = (float) (a * sin + b * cos);
            }
        }
    }

    private float[][] attention(float[][] q, float[][] k, float[][] v) {
        int n = q.length;
        int d = shape.headDim();
        int group = shape.groupSize();
        double scale = 1 / Math.sqrt(d);
        float[][] out = new float[n][shape.queryWidth()];
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < shape.heads(); h++) {
                int kv = h / group;
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += (double) q[t][h * d + i] * k[s][kv * d + i];
                    }
                    scores[s] = dot * scale;
                    max = Math.max(max, scores[s]);
                }
                double total = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    total += scores[s];
                }
                for (int i = 0; i < d; i++) {
                    double acc = 0;
                    for (int s = 0; s <= t; s++) {
                        acc += scores[s] * v[s][kv * d + i];
                    }
                    out[t][h * d + i] = (float) (acc / total);
                }
            }
        }
        return out;
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
