package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

/**
 * Plain scalar dequantizers written from the block layouts in ggml-common.h, one element at a time, as the
 * reference the vector kernels are checked against.
 */
final class ReferenceDequantizer {
    private ReferenceDequantizer() {
    }

    static float[] dequantize(GgmlType type, byte[] src, int n) {
        float[] y = new float[n];
        int bs = type.blockSize();
        int bb = type.bytesPerBlock();
        for (int blk = 0; blk < n / bs; blk++) {
            int o = blk * bb;
            int y0 = blk * bs;
            switch (type) {
                case F32 -> y[blk] = Float.intBitsToFloat(i32(src, o));
                case F16 -> y[blk] = Float.float16ToFloat((short) u16(src, o));
                case BF16 -> y[blk] = Float.intBitsToFloat(u16(src, o) << 16);
                case Q8_0 -> {
                    float d = f16(src, o);
                    for (int j = 0; j < 32; j++) {
                        y[y0 + j] = src[o + 2 + j] * d;
                    }
                }
                case Q4_0, Q4_1, Q5_0, Q5_1 -> legacy(type, src, o, y, y0);
                case Q2_K -> q2k(src, o, y, y0);
                case Q3_K -> q3k(src, o, y, y0);
                case Q4_K, Q5_K -> q45k(type == GgmlType.Q5_K, src, o, y, y0);
                case Q6_K -> q6k(src, o, y, y0);
                default -> throw new IllegalArgumentException("no reference for " + type);
            }
        }
        return y;
    }

    /** Q4_0/Q4_1/Q5_0/Q5_1: element j < 16 is the low nibble of qs[j], element j + 16 the high nibble. */
    private static void legacy(GgmlType type, byte[] src, int o, float[] y, int y0) {
        boolean hasMin = type == GgmlType.Q4_1 || type == GgmlType.Q5_1;
        boolean five = type == GgmlType.Q5_0 || type == GgmlType.Q5_1;
        float d = f16(src, o);
        float m = hasMin ? f16(src, o + 2) : 0;
        int p = o + (hasMin ? 4 : 2);
        long qh = 0;
        if (five) {
            qh = i32(src, p) & 0xFFFFFFFFL;
            p += 4;
        }
        for (int e = 0; e < 32; e++) {
            int b = src[p + (e % 16)] & 0xFF;
            int q = e < 16 ? b & 0xF : b >> 4;
            if (five && ((qh >> e) & 1) != 0) {
                q += 16;
            }
            if (hasMin) {
                y[y0 + e] = q * d + m;
            } else {
                y[y0 + e] = (q - (five ? 16 : 8)) * d;
            }
        }
    }

    /** Q2_K: 16 groups of 16; group g uses 2-bit field (g / 2) % 4 of byte qs[32 * (g / 8) + 16 * (g % 2) + l]. */
    private static void q2k(byte[] src, int o, float[] y, int y0) {
        float d = f16(src, o + 80);
        float dmin = f16(src, o + 82);
        for (int g = 0; g < 16; g++) {
            int sc = src[o + g] & 0xFF;
            float dl = d * (sc & 0xF);
            float ml = dmin * (sc >> 4);
            int shift = 2 * ((g / 2) % 4);
            for (int l = 0; l < 16; l++) {
                int q = ((src[o + 16 + 32 * (g / 8) + 16 * (g % 2) + l] & 0xFF) >> shift) & 3;
                y[y0 + 16 * g + l] = dl * q - ml;
            }
        }
    }

    /** Q3_K: Q2_K's 2-bit walk; group g's high bit is bit g/2 of hmask[16 * (g % 2) + l]. */
    private static void q3k(byte[] src, int o, float[] y, int y0) {
        float d = f16(src, o + 108);
        for (int g = 0; g < 16; g++) {
            // Scale g: low 4 bits from byte g % 8 of scales (low nibble for g < 8), top 2 bits from byte 8 + g % 4.
            int lowByte = src[o + 96 + (g % 8)] & 0xFF;
            int low = g < 8 ? lowByte & 0xF : lowByte >> 4;
            int high = ((src[o + 96 + 8 + (g % 4)] & 0xFF) >> (2 * (g / 4))) & 3;
            int scale = (low | (high << 4)) - 32;
            float dl = d * scale;
            int shift = 2 * ((g / 2) % 4);
            for (int l = 0; l < 16; l++) {
                int q = ((src[o + 32 + 32 * (g / 8) + 16 * (g % 2) + l] & 0xFF) >> shift) & 3;
                boolean h = ((src[o + 16 * (g % 2) + l] >> (g / 2)) & 1) != 0;
                y[y0 + 16 * g + l] = dl * (q - (h ? 0 : 4));
            }
        }
    }

    /** Q4_K/Q5_K: 8 groups of 32; group g reads nibble g % 2 of qs[32 * (g / 2) + l] (+16 if qh[l] bit g). */
    private static void q45k(boolean five, byte[] src, int o, float[] y, int y0) {
        float d = f16(src, o);
        float dmin = f16(src, o + 2);
        int qs = o + (five ? 48 : 16);
        for (int g = 0; g < 8; g++) {
            int sc;
            int mn;
            if (g < 4) {
                sc = src[o + 4 + g] & 63;
                mn = src[o + 4 + g + 4] & 63;
            } else {
                sc = (src[o + 4 + g + 4] & 0xF) | (((src[o + 4 + g - 4] & 0xFF) >> 6) << 4);
                mn = ((src[o + 4 + g + 4] & 0xFF) >> 4) | (((src[o + 4 + g] & 0xFF) >> 6) << 4);
            }
            float dl = d * sc;
            float ml = dmin * mn;
            for (int l = 0; l < 32; l++) {
                int b = src[qs + 32 * (g / 2) + l] & 0xFF;
                int q = g % 2 == 0 ? b & 0xF : b >> 4;
                if (five && ((src[o + 16 + l] >> g) & 1) != 0) {
                    q += 16;
                }
                y[y0 + 32 * g + l] = dl * q - ml;
            }
        }
    }

    /** Q6_K: element e = 128h + 32k + l takes a nibble of ql[64h + 32(k%2) + l] and bits 2k.. of qh[32h + l]. */
    private static void q6k(byte[] src, int o, float[] y, int y0) {
        float d = f16(src, o + 208);
        for (int e = 0; e < 256; e++) {
            int h = e / 128;
            int k = (e % 128) / 32;
            int l = e % 32;
            int b = src[o + 64 * h + 32 * (k % 2) + l] & 0xFF;
            int nib = k < 2 ? b & 0xF : b >> 4;
            int hi = ((src[o + 128 + 32 * h + l] & 0xFF) >> (2 * k)) & 3;
            int q = (nib | (hi << 4)) - 32;
            int scale = src[o + 192 + 8 * h + 2 * k + l / 16];
            y[y0 + e] = d * scale * q;
        }
    }

    static float f16(byte[] b, int o) {
        return Float.float16ToFloat((short) u16(b, o));
    }

    static int u16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static int i32(byte[] b, int o) {
        return u16(b, o) | u16(b, o + 2) << 16;
    }
}
