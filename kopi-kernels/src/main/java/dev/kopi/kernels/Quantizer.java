package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Converts F32 values into the ggml block formats, following ggml's reference quantizers (what
 * {@code ggml_quantize_chunk} runs without an importance matrix) operation for operation, so that the output is
 * byte-identical and deterministic. Used to write synthetic models and to check kernels; not a hot path.
 *
 * <p>Float expressions keep ggml's evaluation order on purpose: every product and sum is rounded where ggml's
 * is, which is what makes the bytes match.
 */
public final class Quantizer {
    private static final int QK_K = 256;
    /** Below this absolute maximum a group counts as all zero. */
    private static final float GROUP_MAX_EPS = 1e-15f;

    private Quantizer() {
    }

    /** The types {@link #quantize} accepts. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /**
     * {@code rows x cols} values (row-major) in {@code type}, as {@code ggml_quantize_chunk(type, values, dst, 0,
     * rows, cols, NULL)} writes them.
     *
     * @throws IllegalArgumentException if the type is not supported, {@code cols} is not a whole number of blocks
     *     or {@code values} does not hold {@code rows * cols} floats
     */
    public static byte[] quantize(GgmlType type, float[] values, int rows, int cols) {
        Objects.requireNonNull(values, "values");
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values do not form a " + rows + " x " + cols
                    + " matrix");
        }
        if (!supports(type)) {
            throw new IllegalArgumentException("cannot quantize to " + type);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(cols + " columns is not a whole number of " + type + " blocks of "
                    + type.blockSize());
        }
        byte[] dst = new byte[Math.toIntExact(type.byteSize(values.length))];
        int blocks = values.length / type.blockSize();
        int bs = type.blockSize();
        int bb = type.bytesPerBlock();
        for (int b = 0; b < blocks; b++) {
            quantizeBlock(type, values, b * bs, dst, b * bb);
        }
        return dst;
    }

    /** Quantizes {@code count} values (whole blocks) from {@code values[offset ..]} into {@code dst} at {@code dstOffset}. */
    public static void quantize(GgmlType type, float[] values, int offset, int count, MemorySegment dst,
                                long dstOffset) {
        Objects.checkFromIndexSize(offset, count, values.length);
        float[] slice = java.util.Arrays.copyOfRange(values, offset, offset + count);
        byte[] bytes = quantize(type, slice, 1, count);
        MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, dstOffset, bytes.length);
    }

    private static void quantizeBlock(GgmlType type, float[] x, int xo, byte[] y, int yo) {
        switch (type) {
            case F32 -> putInt(y, yo, Float.floatToRawIntBits(x[xo]));
            case F16 -> putShort(y, yo, Float.floatToFloat16(x[xo]));
            case BF16 -> putShort(y, yo, toBf16(x[xo]));
            case Q8_0 -> q8_0(x, xo, y, yo);
            case Q4_0 -> q4_0(x, xo, y, yo);
            case Q4_1 -> q4_1(x, xo, y, yo);
            case Q5_0 -> q5_0(x, xo, y, yo);
            case Q5_1 -> q5_1(x, xo, y, yo);
            case Q2_K -> q2_k(x, xo, y, yo);
            case Q3_K -> q3_k(x, xo, y, yo);
            case Q4_K -> q45_k(x, xo, y, yo, false);
            case Q5_K -> q45_k(x, xo, y, yo, true);
            case Q6_K -> q6_k(x, xo, y, yo);
            default -> throw new IllegalArgumentException("cannot quantize to " + type);
        }
    }

    /** ggml's F32 to BF16: round to nearest even; NaNs stay NaN (quiet bit forced). */
    private static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    // ---- 32-element blocks ----

    private static void q8_0(float[] x, int xo, byte[] y, int yo) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[xo + j]));
        }
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(y, yo, d);
        for (int j = 0; j < 32; j++) {
            y[yo + 2 + j] = (byte) roundHalfAway(x[xo + j] * id);
        }
    }

    /** The value of largest magnitude (the first, on ties), signed. */
    private static float signedAbsMax(float[] x, int xo, int n) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[xo + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    private static void q4_0(float[] x, int xo, byte[] y, int yo) {
        float d = signedAbsMax(x, xo, 32) / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(y, yo, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (byte) (int) (x[xo + j] * id + 8.5f));
            int hi = Math.min(15, (byte) (int) (x[xo + 16 + j] * id + 8.5f));
            y[yo + 2 + j] = (byte) (lo | hi << 4);
        }
    }

    private static void q5_0(float[] x, int xo, byte[] y, int yo) {
        float d = signedAbsMax(x, xo, 32) / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(y, yo, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (byte) (int) (x[xo + j] * id + 16.5f));
            int hi = Math.min(31, (byte) (int) (x[xo + 16 + j] * id + 16.5f));
            y[yo + 6 + j] = (byte) ((lo & 0xF) | (hi & 0xF) << 4);
            qh |= ((lo & 0x10) >>> 4) << j;
            qh |= ((hi & 0x10) >>> 4) << (j + 16);
        }
        putInt(y, yo + 2, qh);
    }

    private static void q4_1(float[] x, int xo, byte[] y, int yo) {
        float[] minMax = minMax(x, xo);
        float min = minMax[0];
        float d = (minMax[1] - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(y, yo, d);
        putHalf(y, yo + 2, min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (byte) (int) ((x[xo + j] - min) * id + 0.5f));
            int hi = Math.min(15, (byte) (int) ((x[xo + 16 + j] - min) * id + 0.5f));
            y[yo + 4 + j] = (byte) (lo | hi << 4);
        }
    }

    private static void q5_1(float[] x, int xo, byte[] y, int yo) {
        float[] minMax = minMax(x, xo);
        float min = minMax[0];
        float d = (minMax[1] - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(y, yo, d);
        putHalf(y, yo + 2, min);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = (int) ((x[xo + j] - min) * id + 0.5f) & 0xFF;
            int hi = (int) ((x[xo + 16 + j] - min) * id + 0.5f) & 0xFF;
            y[yo + 8 + j] = (byte) ((lo & 0xF) | (hi & 0xF) << 4);
            qh |= ((lo & 0x10) >>> 4) << j;
            qh |= ((hi & 0x10) >>> 4) << (j + 16);
        }
        putInt(y, yo + 4, qh);
    }

    private static float[] minMax(float[] x, int xo) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            float v = x[xo + j];
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        return new float[] {min, max};
    }

    // ---- 256-element super-blocks ----

    private static void q2_k(float[] x, int xo, byte[] y, int yo) {
        int[] levels = new int[QK_K];
        float[] weights = new float[16];
        float[] scales = new float[16];
        float[] mins = new float[16];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 16; j++) {
            for (int l = 0; l < 16; l++) {
                weights[l] = Math.abs(x[xo + 16 * j + l]);
            }
            float[] scaleMin = fitScaleAndMin(16, 3, x, xo + 16 * j, weights, levels, 16 * j, -0.5f, 0.1f, 15, true);
            scales[j] = scaleMin[0];
            mins[j] = scaleMin[1];
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        int[] sc = new int[16];
        if (maxScale > 0) {
            float iscale = 15.f / maxScale;
            for (int j = 0; j < 16; j++) {
                sc[j] = nearestInt(iscale * scales[j]) & 0xFF;
            }
            putHalf(y, yo + 80, maxScale / 15.f);
        } else {
            putHalf(y, yo + 80, 0f);
        }
        if (maxMin > 0) {
            float iscale = 15.f / maxMin;
            for (int j = 0; j < 16; j++) {
                sc[j] = (sc[j] | nearestInt(iscale * mins[j]) << 4) & 0xFF;
            }
            putHalf(y, yo + 82, maxMin / 15.f);
        } else {
            putHalf(y, yo + 82, 0f);
        }
        float dAll = half(y, yo + 80);
        float dminAll = half(y, yo + 82);
        for (int j = 0; j < 16; j++) {
            y[yo + j] = (byte) sc[j];
            float d = dAll * (sc[j] & 0xF);
            if (d == 0) {
                continue;
            }
            float dm = dminAll * (sc[j] >> 4);
            for (int i = 0; i < 16; i++) {
                levels[16 * j + i] = clamp(nearestInt((x[xo + 16 * j + i] + dm) / d), 0, 3);
            }
        }
        packTwoBits(levels, y, yo + 16);
    }

    private static void q3_k(float[] x, int xo, byte[] y, int yo) {
        int[] levels = new int[QK_K];
        float[] scales = new float[16];
        float maxScale = 0;
        float amax = 0;
        for (int j = 0; j < 16; j++) {
            scales[j] = fitSymmetricRefined(x, xo + 16 * j, levels, 16 * j);
            if (Math.abs(scales[j]) > amax) {
                amax = Math.abs(scales[j]);
                maxScale = scales[j];
            }
        }
        byte[] packed = new byte[12];
        if (maxScale != 0) {
            float iscale = -32.f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = clamp((byte) nearestInt(iscale * scales[j]), -32, 31) + 32;
                if (j < 8) {
                    packed[j] = (byte) (l & 0xF);
                } else {
                    packed[j - 8] |= (byte) ((l & 0xF) << 4);
                }
                packed[j % 4 + 8] |= (byte) ((l >> 4) << (2 * (j / 4)));
            }
            putHalf(y, yo + 108, 1 / iscale);
        } else {
            putHalf(y, yo + 108, 0f);
        }
        System.arraycopy(packed, 0, y, yo + 96, 12);
        float dAll = half(y, yo + 108);
        for (int j = 0; j < 16; j++) {
            int low = j < 8 ? packed[j] & 0xF : (packed[j - 8] & 0xFF) >> 4;
            int sc = (byte) ((low | (((packed[8 + j % 4] & 0xFF) >> (2 * (j / 4))) & 3) << 4) - 32);
            float d = dAll * sc;
            if (d == 0) {
                continue;
            }
            for (int i = 0; i < 16; i++) {
                levels[16 * j + i] = clamp(nearestInt(x[xo + 16 * j + i] / d), -4, 3) + 4;
            }
        }
        // High bits: element e goes to bit e / 32 of hmask[e % 32].
        for (int e = 0; e < QK_K; e++) {
            if (levels[e] > 3) {
                y[yo + e % 32] |= (byte) (1 << (e / 32));
                levels[e] -= 4;
            }
        }
        packTwoBits(levels, y, yo + 32);
    }

    private static void q45_k(float[] x, int xo, byte[] y, int yo, boolean five) {
        int nmax = five ? 31 : 15;
        int[] levels = new int[QK_K];
        float[] weights = new float[32];
        float[] scales = new float[8];
        float[] mins = new float[8];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) {
                sumX2 += x[xo + 32 * j + l] * x[xo + 32 * j + l];
            }
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) {
                weights[l] = avX + Math.abs(x[xo + 32 * j + l]);
            }
            float[] scaleMin = five
                    ? fitScaleAndMin(32, 31, x, xo + 32 * j, weights, levels, 32 * j, -0.5f, 0.1f, 15, false)
                    : fitScaleAndMin(32, 15, x, xo + 32 * j, weights, levels, 32 * j, -1.f, 0.1f, 20, false);
            scales[j] = scaleMin[0];
            mins[j] = scaleMin[1];
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        int so = yo + 4;
        for (int j = 0; j < 8; j++) {
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            if (j < 4) {
                y[so + j] = (byte) ls;
                y[so + j + 4] = (byte) lm;
            } else {
                y[so + j + 4] = (byte) ((ls & 0xF) | (lm & 0xF) << 4);
                y[so + j - 4] |= (byte) ((ls >> 4) << 6);
                y[so + j] |= (byte) ((lm >> 4) << 6);
            }
        }
        putHalf(y, yo, maxScale / 63.f);
        putHalf(y, yo + 2, maxMin / 63.f);
        float dAll = half(y, yo);
        float dminAll = half(y, yo + 2);
        byte[] sm = new byte[16];
        KScales.unpack(MemorySegment.ofArray(y), so, sm);
        for (int j = 0; j < 8; j++) {
            float d = dAll * sm[j];
            if (d == 0) {
                continue;
            }
            float dm = dminAll * sm[8 + j];
            for (int i = 0; i < 32; i++) {
                levels[32 * j + i] = clamp(nearestInt((x[xo + 32 * j + i] + dm) / d), 0, nmax);
            }
        }
        int qs = yo + (five ? 48 : 16);
        for (int n = 0; n < QK_K; n += 64) {
            for (int j = 0; j < 32; j++) {
                int l1 = levels[n + j];
                int l2 = levels[n + j + 32];
                if (five) {
                    int pair = n / 64;
                    if (l1 > 15) {
                        l1 -= 16;
                        y[yo + 16 + j] |= (byte) (1 << (2 * pair));
                    }
                    if (l2 > 15) {
                        l2 -= 16;
                        y[yo + 16 + j] |= (byte) (2 << (2 * pair));
                    }
                }
                y[qs + n / 2 + j] = (byte) (l1 | l2 << 4);
            }
        }
    }

    private static void q6_k(float[] x, int xo, byte[] y, int yo) {
        int[] levels = new int[QK_K];
        float[] scales = new float[16];
        float maxScale = 0;
        float maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            scales[ib] = fitSymmetric(16, 32, x, xo + 16 * ib, levels, 16 * ib);
            if (Math.abs(scales[ib]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[ib]);
                maxScale = scales[ib];
            }
        }
        if (maxAbsScale < GROUP_MAX_EPS) {
            java.util.Arrays.fill(y, yo, yo + 210, (byte) 0);
            return;
        }
        float iscale = -128.f / maxScale;
        putHalf(y, yo + 208, 1 / iscale);
        for (int ib = 0; ib < 16; ib++) {
            y[yo + 192 + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));
        }
        float dAll = half(y, yo + 208);
        for (int j = 0; j < 16; j++) {
            float d = dAll * y[yo + 192 + j];
            if (d == 0) {
                continue;
            }
            for (int i = 0; i < 16; i++) {
                levels[16 * j + i] = clamp(nearestInt(x[xo + 16 * j + i] / d), -32, 31) + 32;
            }
        }
        for (int h = 0; h < 2; h++) {
            int j = 128 * h;
            int ql = yo + 64 * h;
            int qh = yo + 128 + 32 * h;
            for (int l = 0; l < 32; l++) {
                int q1 = levels[j + l], q2 = levels[j + l + 32], q3 = levels[j + l + 64], q4 = levels[j + l + 96];
                y[ql + l] = (byte) ((q1 & 0xF) | (q3 & 0xF) << 4);
                y[ql + 32 + l] = (byte) ((q2 & 0xF) | (q4 & 0xF) << 4);
                y[qh + l] = (byte) ((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
            }
        }
    }

    /** Two-bit levels of a super-block: byte {@code 32h + l} holds elements {@code 128h + l + 32k} at bits {@code 2k}. */
    private static void packTwoBits(int[] levels, byte[] y, int at) {
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int j = 128 * h + l;
                y[at + 32 * h + l] = (byte) (levels[j] | levels[j + 32] << 2 | levels[j + 64] << 4 | levels[j + 96] << 6);
            }
        }
    }

    // ---- per-group fits (ggml's make_qx_quants, make_q3_quants and make_qkx2_quants) ----

    /**
     * Symmetric levels in {@code [0, 2*nmax)} for {@code n} values, weighting errors by {@code x^2}, trying 18
     * scales around {@code nmax / max} and keeping the best; returns the scale.
     */
    private static float fitSymmetric(int n, int nmax, float[] x, int xo, int[] levels, int lo) {
        float max = signedAbsMax(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            java.util.Arrays.fill(levels, lo, lo + n, 0);
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(iscale * x[xo + i]), -nmax, nmax - 1);
            levels[lo + i] = l + nmax;
            float w = x[xo + i] * x[xo + i];
            sumlx += w * x[xo + i] * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearestInt(iscale * x[xo + i]), -nmax, nmax - 1);
                float w = x[xo + i] * x[xo + i];
                sumlx += w * x[xo + i] * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    levels[lo + i] = nmax + clamp(nearestInt(iscale * x[xo + i]), -nmax, nmax - 1);
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * Q3_K's fit of 16 values to levels in {@code [-4, 4)}: start from {@code 4 / max}, then move single levels
     * while that lowers the {@code x^2}-weighted error (at most five rounds); returns the least-squares scale.
     */
    private static float fitSymmetricRefined(float[] x, int xo, int[] levels, int lo) {
        int n = 16;
        int nmax = 4;
        float max = signedAbsMax(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            java.util.Arrays.fill(levels, lo, lo + n, 0);
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(iscale * x[xo + i]), -nmax, nmax - 1);
            levels[lo + i] = l;
            float w = x[xo + i] * x[xo + i];
            sumlx += w * x[xo + i] * l;
            suml2 += w * l * l;
        }
        for (int round = 0; round < 5; round++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                float w = xi * xi;
                int li = levels[lo + i];
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int newL = clamp(nearestInt(xi * sl2 / slx), -nmax, nmax - 1);
                    if (newL != li) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            levels[lo + i] = newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            levels[lo + i] += nmax;
        }
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * Asymmetric levels in {@code [0, nmax]} with a scale and a (non-positive) offset for {@code n} values:
     * starting from the min/max fit, tries {@code nstep + 1} scales from {@code (nmax + rmin) / range} in steps of
     * {@code rdelta / range}, solving weighted least squares for scale and offset at each, and keeps the lowest
     * weighted error (absolute if {@code absError}, else squared). Returns {scale, -offset}.
     */
    private static float[] fitScaleAndMin(int n, int nmax, float[] x, int xo, float[] weights, int[] levels, int lo,
                                          float rmin, float rdelta, int nstep, boolean absError) {
        float min = x[xo];
        float max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float v = x[xo + i];
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * v;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            java.util.Arrays.fill(levels, lo, lo + n, 0);
            return new float[] {0f, -min};
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(iscale * (x[xo + i] - min)), 0, nmax);
            levels[lo + i] = l;
            float diff = scale * l + min - x[xo + i];
            diff = absError ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        int[] aux = new int[n];
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearestInt(iscale * (x[xo + i] - min)), 0, nmax);
                aux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float error = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * aux[i] + thisMin - x[xo + i];
                    diff = absError ? Math.abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError) {
                    System.arraycopy(aux, 0, levels, lo, n);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        return new float[] {scale, -min};
    }

    // ---- rounding and byte helpers ----

    /** ggml's nearest_int: round half to even through the float mantissa (valid for |v| < 2^22). */
    static int nearestInt(float v) {
        float biased = v + 12582912.f;
        return (Float.floatToRawIntBits(biased) & 0x007fffff) - 0x00400000;
    }

    /** C's roundf: halves round away from zero. */
    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static float half(byte[] y, int at) {
        return Float.float16ToFloat((short) ((y[at] & 0xFF) | (y[at + 1] & 0xFF) << 8));
    }

    private static void putHalf(byte[] y, int at, float v) {
        putShort(y, at, Float.floatToFloat16(v));
    }

    private static void putShort(byte[] y, int at, short v) {
        y[at] = (byte) v;
        y[at + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] y, int at, int v) {
        putShort(y, at, (short) v);
        putShort(y, at + 2, (short) (v >> 16));
    }
}
