package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.INT_LE;
import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q3_K: super-blocks of 256 in 110 bytes: 32 bytes of high bits ({@code hmask}), 64 bytes of low 2-bit quants,
 * 12 bytes packing sixteen 6-bit scales, an f16 {@code d}. The 2-bit walk is Q2_K's; hmask bit {@code k} (one per
 * pass over the quants, eight passes) being clear subtracts 4: {@code w = d*(scale-32) * (q - (h ? 0 : 4))}.
 */
final class Q3_KMatrix extends BlockMatrix {
    static final int BLOCK_BYTES = 110;

    Q3_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q3_K, data, rows, cols);
    }

    /** The sixteen signed scales (already minus 32) of the super-block at {@code offset}. */
    static void scales(MemorySegment data, long offset, int[] out) {
        int a0 = data.get(INT_LE, offset + 96);
        int a1 = data.get(INT_LE, offset + 100);
        int tmp = data.get(INT_LE, offset + 104);
        int low4 = 0x0f0f0f0f;
        int high2 = 0x03030303;
        int[] packed = {
            (a0 & low4) | (((tmp) & high2) << 4),
            (a1 & low4) | (((tmp >>> 2) & high2) << 4),
            ((a0 >>> 4) & low4) | (((tmp >>> 4) & high2) << 4),
            ((a1 >>> 4) & low4) | (((tmp >>> 6) & high2) << 4),
        };
        for (int i = 0; i < 16; i++) {
            out[i] = ((packed[i >> 2] >>> (8 * (i & 3))) & 0xFF) - 32;
        }
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        int[] scales = new int[16];
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset + 108);
            scales(data, offset, scales);
            int group = 0;
            int pass = 0;
            for (int half = 0; half < 2; half++) {
                long q = offset + 32 + 32 * half;
                for (int shift = 0; shift < 8; shift += 2, pass++) {
                    byte bit = (byte) (1 << pass);
                    for (int g = 0; g < 2; g++, group++, dstOffset += 16) {
                        float dl = d * scales[group];
                        for (int l = 0; l < 16; l += L) {
                            ByteVector lo = Lanes.bitField(bytes(data, q + 16 * g + l), shift, 2, 0);
                            var highClear = bytes(data, offset + 16 * g + l).and(bit).compare(VectorOperators.EQ, 0);
                            toFloat(lo.lanewise(VectorOperators.SUB, (byte) 4, highClear)).mul(dl)
                                    .intoArray(dst, dstOffset + l);
                        }
                    }
                }
            }
        }
    }
}
