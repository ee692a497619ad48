package dev.kopi.engine;

import dev.kopi.gguf.GgmlType;
import dev.kopi.kernels.WorkerPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Qwen3 model with small random F32 weights built in memory, with its metadata and tensors, plus a plain
 * double-precision reference forward pass written independently of the engine's.
 */
final class TinyQwen3 {
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Map<String, Object> metadata = new HashMap<>();
    final Map<String, WeightTensor> tensors = new HashMap<>();
    final Map<String, float[]> values = new HashMap<>();
    final int vocab;
    final int dim;
    final int ffn;
    final int heads;
    final int kvHeads;
    final int headDim;
    final int layers;
    final float base = 10000f;
    final float eps = 1e-6f;

    TinyQwen3(long seed) {
        this(seed, 2, 48, 4, 2, 16, 96, 200, false);
    }

    TinyQwen3(long seed, int layers, int dim, int heads, int kvHeads, int headDim, int ffn, int vocab, boolean tied) {
        this.layers = layers;
        this.dim = dim;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.ffn = ffn;
        this.vocab = vocab;
        metadata.put("general.architecture", "qwen3");
        metadata.put("qwen3.block_count", layers);
        metadata.put("qwen3.embedding_length", dim);
        metadata.put("qwen3.feed_forward_length", ffn);
        metadata.put("qwen3.attention.head_count", heads);
        metadata.put("qwen3.attention.head_count_kv", kvHeads);
        metadata.put("qwen3.attention.key_length", headDim);
        metadata.put("qwen3.attention.value_length", headDim);
        metadata.put("qwen3.attention.layer_norm_rms_epsilon", eps);
        metadata.put("qwen3.context_length", 512);
        metadata.put("qwen3.rope.freq_base", base);
        SplittableRandom random = new SplittableRandom(seed);
        matrix(random, "token_embd.weight", vocab, dim, 0.5);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            norm(random, b + "attn_norm.weight", dim);
            matrix(random, b + "attn_q.weight", heads * headDim, dim, 0.3);
            matrix(random, b + "attn_k.weight", kvHeads * headDim, dim, 0.3);
            matrix(random, b + "attn_v.weight", kvHeads * headDim, dim, 0.3);
            matrix(random, b + "attn_output.weight", dim, heads * headDim, 0.2);
            norm(random, b + "attn_q_norm.weight", headDim);
            norm(random, b + "attn_k_norm.weight", headDim);
            norm(random, b + "ffn_norm.weight", dim);
            matrix(random, b + "ffn_gate.weight", ffn, dim, 0.3);
            matrix(random, b + "ffn_up.weight", ffn, dim, 0.3);
            matrix(random, b + "ffn_down.weight", dim, ffn, 0.2);
        }
        norm(random, "output_norm.weight", dim);
        if (!tied) {
            matrix(random, "output.weight", vocab, dim, 0.3);
        }
    }

    ModelConfig config() {
        return ModelConfig.fromMetadata(MetadataView.of(metadata));
    }

    LlamaModel model(int threads) {
        return new LlamaModel(config(), new Weights(tensors), new WorkerPool(threads), () -> { });
    }

    /** Writes this model as a GGUF file, metadata typed as llama.cpp's converter types it. */
    void writeGguf(java.nio.file.Path path) throws java.io.IOException {
        dev.kopi.gguf.GgufWriter writer = new dev.kopi.gguf.GgufWriter();
        metadata.forEach((key, value) -> {
            switch (value) {
                case String s -> writer.putString(key, s);
                case Integer i -> writer.putUint32(key, i);
                case Float f -> writer.putFloat32(key, f);
                default -> throw new IllegalStateException(key + " = " + value);
            }
        });
        tensors.forEach((name, t) -> writer.addTensor(name, t.type(), t.dims(), t.data()));
        writer.write(path);
    }

    private void norm(SplittableRandom random, String name, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1.0 + 0.2 * (random.nextDouble() - 0.5));
        }
        put(name, v, new long[] {n});
    }

    private void matrix(SplittableRandom random, String name, int rows, int cols, double scale) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        put(name, v, new long[] {cols, rows});
    }

    void put(String name, float[] v, long[] dims) {
        MemorySegment seg = Arena.ofAuto().allocate((long) v.length * Float.BYTES, 64);
        MemorySegment.copy(v, 0, seg, F32_LE, 0, v.length);
        tensors.put(name, new WeightTensor(name, GgmlType.F32, dims, seg));
        values.put(name, v);
    }

    /** Reference logits of every position of {@code tokens}, in double precision, straight from the definition. */
    double[][] referenceLogits(int[] tokens) {
        int n = tokens.length;
        double[][] x = new double[n][];
        float[] emb = values.get("token_embd.weight");
        for (int t = 0; t < n; t++) {
            x[t] = new double[dim];
            for (int i = 0; i < dim; i++) {
                x[t][i] = emb[tokens[t] * dim + i];
            }
        }
        int group = heads / kvHeads;
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] h = rms(x[t], values.get(b + "attn_norm.weight"));
                q[t] = mul(values.get(b + "attn_q.weight"), h, heads * headDim);
                k[t] = mul(values.get(b + "attn_k.weight"), h, kvHeads * headDim);
                v[t] = mul(values.get(b + "attn_v.weight"), h, kvHeads * headDim);
                for (int hh = 0; hh < heads; hh++) {
                    headNormRope(q[t], hh * headDim, values.get(b + "attn_q_norm.weight"), t);
                }
                for (int hh = 0; hh < kvHeads; hh++) {
                    headNormRope(k[t], hh * headDim, values.get(b + "attn_k_norm.weight"), t);
                }
            }
            for (int t = 0; t < n; t++) {
                double[] att = new double[heads * headDim];
                for (int hh = 0; hh < heads; hh++) {
                    int kv = hh / group;
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double d = 0;
                        for (int i = 0; i < headDim; i++) {
                            d += q[t][hh * headDim + i] * k[j][kv * headDim + i];
                        }
                        s[j] = d / Math.sqrt(headDim);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int i = 0; i < headDim; i++) {
                            att[hh * headDim + i] += s[j] / sum * v[j][kv * headDim + i];
                        }
                    }
                }
                add(x[t], mul(values.get(b + "attn_output.weight"), att, dim));
            }
            for (int t = 0; t < n; t++) {
                double[] h = rms(x[t], values.get(b + "ffn_norm.weight"));
                double[] g = mul(values.get(b + "ffn_gate.weight"), h, ffn);
                double[] u = mul(values.get(b + "ffn_up.weight"), h, ffn);
                for (int i = 0; i < ffn; i++) {
                    g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                }
                add(x[t], mul(values.get(b + "ffn_down.weight"), g, dim));
            }
        }
        float[] out = values.getOrDefault("output.weight", values.get("token_embd.weight"));
        double[][] logits = new double[n][];
        for (int t = 0; t < n; t++) {
            logits[t] = mul(out, rms(x[t], values.get("output_norm.weight")), vocab);
        }
        return logits;
    }

    private void headNormRope(double[] x, int off, float[] w, int position) {
        double ss = 0;
        for (int i = 0; i < headDim; i++) {
            ss += x[off + i] * x[off + i];
        }
        double scale = 1 / Math.sqrt(ss / headDim + eps);
        for (int i = 0; i < headDim; i++) {
            x[off + i] *= scale * w[i];
        }
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            double theta = position * Math.pow(base, -2.0 * i / headDim);
            double a = x[off + i], b = x[off + half + i];
            x[off + i] = a * Math.cos(theta) - b * Math.sin(theta);
            x[off + half + i] = a * Math.sin(theta) + b * Math.cos(theta);
        }
    }

    private double[] rms(double[] x, float[] w) {
        double ss = 0;
        for (double d : x) {
            ss += d * d;
        }
        double scale = 1 / Math.sqrt(ss / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale * w[i];
        }
        return out;
    }

    private static double[] mul(float[] w, double[] x, int rows) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < x.length; c++) {
                s += w[r * x.length + c] * x[c];
            }
            out[r] = s;
        }
        return out;
    }

    private static void add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }
}
