package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.highNibbles;
import static dev.kopi.kernels.Lanes.lowNibbles;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q5_K: Q4_K plus 32 bytes of fifth bits ({@code qh}, after the scales): group {@code g} of 32 takes bit {@code g}
 * of {@code qh[l]} as its value 16. {@code w = d*scale * q - dmin*min}.
 */
final class Q5_KMatrix extends BlockMatrix {
    static final int BLOCK_BYTES = 176;

    Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset);
            float dmin = f16(data, offset + 2);
            long scales = KScales.scales(data, offset + 4);
            long mins = KScales.mins(data, offset + 4);
            for (int g = 0; g < 8; g++, dstOffset += 32) {
                float dl = d * KScales.get(scales, g);
                float ml = dmin * KScales.get(mins, g);
                for (int l = 0; l < 32; l += L) {
                    toFloat(quants(offset, g, l)).mul(dl).sub(ml).intoArray(dst, dstOffset + l);
                }
            }
        }
    }

    @Override
    int sumGroup() {
        return 32;
    }

    /** Per group of 32: {@code d*scale * sum(q x) - dmin*min * sum(x)}. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float minSum = 0;
        for (int b = 0; b < blocksPerRow; b++, o += BLOCK_BYTES) {
            float d = f16(data, o);
            float dmin = f16(data, o + 2);
            long scales = KScales.scales(data, o + 4);
            long mins = KScales.mins(data, o + 4);
            int xb = xOffset + 256 * b;
            for (int g = 0; g < 8; g++) {
                FloatVector p = FloatVector.zero(F);
                for (int l = 0; l < 32; l += L) {
                    p = toFloat(quants(o, g, l)).fma(FloatVector.fromArray(F, x, xb + 32 * g + l), p);
                }
                acc = p.fma(FloatVector.broadcast(F, d * KScales.get(scales, g)), acc);
                minSum += dmin * KScales.get(mins, g) * xSums[8 * b + g];
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) - minSum;
    }

    /**
     * Quants {@code l ..} of group {@code g} of the super-block at {@code o}: a nibble of {@code qs[32 (g/2) + l]}
     * (low for even g) plus 16 times bit {@code g} of {@code qh[l]}.
     */
    private ByteVector quants(long o, int g, int l) {
        ByteVector nibbles = Lanes.shiftRight(bytes(data, o + 48 + 32 * (g >> 1) + l), 4 * (g & 1)).and((byte) 0x0F);
        ByteVector fifth = Lanes.shiftLeft(Lanes.shiftRight(bytes(data, o + 16 + l), g).and((byte) 1), 4);
        return nibbles.or(fifth);
    }
}
