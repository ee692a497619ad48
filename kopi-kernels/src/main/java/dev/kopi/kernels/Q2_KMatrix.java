package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q2_K: super-blocks of 256 in 84 bytes: 16 bytes of 4-bit (scale, min) pairs, 64 bytes of 2-bit quants, f16
 * {@code d} and {@code dmin}. Each half of 128 elements reads 32 quant bytes four times, at bit shifts 0, 2, 4, 6;
 * each pass yields two groups of 16 with their own scale: {@code w = d*scale * q - dmin*min}.
 */
final class Q2_KMatrix extends BlockMatrix {
    static final int BLOCK_BYTES = 84;

    Q2_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q2_K, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset + 80);
            float dmin = f16(data, offset + 82);
            int group = 0;
            for (int half = 0; half < 2; half++) {
                long q = offset + 16 + 32 * half;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int g = 0; g < 2; g++, group++, dstOffset += 16) {
                        int sc = data.get(ValueLayout.JAVA_BYTE, offset + group) & 0xFF;
                        float dl = d * (sc & 0xF);
                        float ml = dmin * (sc >> 4);
                        for (int l = 0; l < 16; l += L) {
                            toFloat(Lanes.bitField(bytes(data, q + 16 * g + l), shift, 2, 0))
                                    .mul(dl).sub(ml).intoArray(dst, dstOffset + l);
                        }
                    }
                }
            }
        }
    }
}
