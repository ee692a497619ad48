package dev.kopi.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small element-wise and reduction operations of a transformer forward pass, on {@code float[]} slices.
 * Each takes explicit offsets so one array can hold many heads, tokens or sequences. Reductions accumulate in
 * vector lanes, so sums are not bit-identical to a sequential loop.
 */
public final class VectorOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorOps() {
    }

    /** {@code sum(a[aOff + i] * b[bOff + i])} for {@code i < n}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int len = F.length();
        int unrolled = n - n % (4 * len);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i < unrolled; i += 4 * len) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = FloatVector.fromArray(F, a, aOff + i + len).fma(FloatVector.fromArray(F, b, bOff + i + len), s1);
            s2 = FloatVector.fromArray(F, a, aOff + i + 2 * len)
                    .fma(FloatVector.fromArray(F, b, bOff + i + 2 * len), s2);
            s3 = FloatVector.fromArray(F, a, aOff + i + 3 * len)
                    .fma(FloatVector.fromArray(F, b, bOff + i + 3 * len), s3);
        }
        for (int bound = F.loopBound(n); i < bound; i += len) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * {@code out[outOff + j] = scale * dot(q[qOff ..], rows[rowOff + j*stride ..])} over {@code n} elements for
     * {@code j < count}: attention scores of one query against many keys. Four keys share each load of the query.
     */
    public static void dotRows(float[] q, int qOff, float[] rows, int rowOff, int stride, int count, int n,
                               float scale, float[] out, int outOff) {
        int len = F.length();
        int bound = F.loopBound(n);
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int r0 = rowOff + j * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            int i = 0;
            for (; i < bound; i += len) {
                FloatVector x = FloatVector.fromArray(F, q, qOff + i);
                s0 = x.fma(FloatVector.fromArray(F, rows, r0 + i), s0);
                s1 = x.fma(FloatVector.fromArray(F, rows, r1 + i), s1);
                s2 = x.fma(FloatVector.fromArray(F, rows, r2 + i), s2);
                s3 = x.fma(FloatVector.fromArray(F, rows, r3 + i), s3);
            }
            float d0 = s0.reduceLanes(VectorOperators.ADD), d1 = s1.reduceLanes(VectorOperators.ADD);
            float d2 = s2.reduceLanes(VectorOperators.ADD), d3 = s3.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                d0 += q[qOff + i] * rows[r0 + i];
                d1 += q[qOff + i] * rows[r1 + i];
                d2 += q[qOff + i] * rows[r2 + i];
                d3 += q[qOff + i] * rows[r3 + i];
            }
            out[outOff + j] = d0 * scale;
            out[outOff + j + 1] = d1 * scale;
            out[outOff + j + 2] = d2 * scale;
            out[outOff + j + 3] = d3 * scale;
        }
        for (; j < count; j++) {
            out[outOff + j] = dot(q, qOff, rows, rowOff + j * stride, n) * scale;
        }
    }

    /**
     * {@code out[outOff .. outOff + n) = sum over j < count of w[wOff + j] * rows[rowOff + j*stride ..]}: the
     * attention-weighted sum of values. The output stays in registers, four vectors at a time, while the rows
     * stream past, instead of being loaded and stored once per row.
     */
    public static void weightedRowSum(float[] w, int wOff, int count, float[] rows, int rowOff, int stride, int n,
                                      float[] out, int outOff) {
        int len = F.length();
        int i = 0;
        for (; i + 4 * len <= n; i += 4 * len) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0, r = rowOff + i; j < count; j++, r += stride) {
                FloatVector c = FloatVector.broadcast(F, w[wOff + j]);
                a0 = FloatVector.fromArray(F, rows, r).fma(c, a0);
                a1 = FloatVector.fromArray(F, rows, r + len).fma(c, a1);
                a2 = FloatVector.fromArray(F, rows, r + 2 * len).fma(c, a2);
                a3 = FloatVector.fromArray(F, rows, r + 3 * len).fma(c, a3);
            }
            a0.intoArray(out, outOff + i);
            a1.intoArray(out, outOff + i + len);
            a2.intoArray(out, outOff + i + 2 * len);
            a3.intoArray(out, outOff + i + 3 * len);
        }
        for (; i < n; i++) {
            float sum = 0;
            for (int j = 0, r = rowOff + i; j < count; j++, r += stride) {
                sum += w[wOff + j] * rows[r];
            }
            out[outOff + i] = sum;
        }
    }

    /** {@code sum(x[off + i]^2)} for {@code i < n}. */
    public static float sumOfSquares(float[] x, int off, int n) {
        return dot(x, off, x, off, n);
    }

    /**
     * RMS normalisation with a learned weight: {@code out[i] = x[i] / sqrt(mean(x^2) + eps) * weight[i]}, as
     * ggml's rms_norm followed by mul. {@code out} may be {@code x}.
     */
    public static void rmsNorm(float[] x, int xOff, float[] weight, int wOff, float[] out, int outOff, int n,
                               float eps) {
        float mean = sumOfSquares(x, xOff, n) / n;
        float scale = 1.0f / (float) Math.sqrt(mean + eps);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, weight, wOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[wOff + i];
        }
    }

    /** In-place softmax over {@code x[off .. off + n)}, subtracting the maximum first for range safety. */
    public static void softmax(float[] x, int off, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += F.length()) {
            vmax = vmax.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector vsum = FloatVector.zero(F);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, n, 1.0f / sum);
    }

    /** SwiGLU: {@code out[i] = silu(gate[i]) * up[i]} with {@code silu(g) = g / (1 + exp(-g))}. */
    public static void siluMul(float[] gate, int gOff, float[] up, int uOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, gOff + i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1.0f));
            silu.mul(FloatVector.fromArray(F, up, uOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float g = gate[gOff + i];
            out[outOff + i] = g / (1.0f + (float) Math.exp(-g)) * up[uOff + i];
        }
    }

    /** {@code out[i] = a[i] + b[i]}; {@code out} may alias either input. */
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    /** {@code x[i] *= s} in place. */
    public static void scale(float[] x, int off, int n, float s) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= s;
        }
    }

    /** {@code y[i] += a * x[i]} (attention's weighted sum of values). */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /**
     * NEOX-style rotary embedding in place: the first {@code rotaryDims} values of the head at {@code x[off ..]}
     * are rotated in pairs {@code (i, i + rotaryDims/2)} by the angles whose cosines and sines are
     * {@code cos[tableOff + i]}, {@code sin[tableOff + i]} for {@code i < rotaryDims/2} (see {@link #ropeTable}).
     */
    public static void ropeNeox(float[] x, int off, int rotaryDims, float[] cos, float[] sin, int tableOff) {
        int half = rotaryDims / 2;
        int i = 0;
        for (int bound = F.loopBound(half); i < bound; i += F.length()) {
            FloatVector x0 = FloatVector.fromArray(F, x, off + i);
            FloatVector x1 = FloatVector.fromArray(F, x, off + half + i);
            FloatVector c = FloatVector.fromArray(F, cos, tableOff + i);
            FloatVector s = FloatVector.fromArray(F, sin, tableOff + i);
            x0.mul(c).sub(x1.mul(s)).intoArray(x, off + i);
            x0.mul(s).add(x1.mul(c)).intoArray(x, off + half + i);
        }
        for (; i < half; i++) {
            float x0 = x[off + i];
            float x1 = x[off + half + i];
            float c = cos[tableOff + i];
            float s = sin[tableOff + i];
            x[off + i] = x0 * c - x1 * s;
            x[off + half + i] = x0 * s + x1 * c;
        }
    }

    /**
     * Fills {@code cos/sin[tableOff .. tableOff + rotaryDims/2)} for token position {@code position}: angle
     * {@code i} is {@code position * base^(-2i/rotaryDims)}, computed as ggml does (a running float product of
     * {@code base^(-2/rotaryDims)}), so rotations match llama.cpp's to float rounding.
     */
    public static void ropeTable(int position, int rotaryDims, float base, float[] cos, float[] sin, int tableOff) {
        float thetaScale = (float) Math.pow(base, -2.0 / rotaryDims);
        float theta = position;
        for (int i = 0; i < rotaryDims / 2; i++) {
            cos[tableOff + i] = (float) Math.cos(theta);
            sin[tableOff + i] = (float) Math.sin(theta);
            theta *= thetaScale;
        }
    }
}
