package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ByteVector;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.highNibbles;
import static dev.kopi.kernels.Lanes.lowNibbles;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q4_K: super-blocks of 256 in 144 bytes: f16 {@code d} and {@code dmin}, 12 bytes packing eight 6-bit
 * (scale, min) pairs (see {@link KScales}), 128 bytes of nibbles. Each 32 bytes hold two groups of 32: low nibbles
 * first, then high: {@code w = d*scale * q - dmin*min}.
 */
final class Q4_KMatrix extends BlockMatrix {
    static final int BLOCK_BYTES = 144;

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_K, data, rows, cols);
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

    /**
     * Per group of 32: {@code d*scale * sum(q x) - dmin*min * sum(x)}. Each 32 quant bytes feed two groups (low
     * and high nibbles), so one load serves both.
     */
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
            for (int j = 0; j < 4; j++) {
                FloatVector lo = FloatVector.zero(F);
                FloatVector hi = lo;
                for (int l = 0; l < 32; l += L) {
                    ByteVector q = bytes(data, o + 16 + 32 * j + l);
                    lo = toFloat(q.and((byte) 0x0F)).fma(FloatVector.fromArray(F, x, xb + 64 * j + l), lo);
                    hi = toFloat(Lanes.highNibbles(q)).fma(FloatVector.fromArray(F, x, xb + 64 * j + 32 + l), hi);
                }
                acc = lo.fma(FloatVector.broadcast(F, d * KScales.get(scales, 2 * j)), acc);
                acc = hi.fma(FloatVector.broadcast(F, d * KScales.get(scales, 2 * j + 1)), acc);
                minSum += dmin * (KScales.get(mins, 2 * j) * xSums[8 * b + 2 * j]
                        + KScales.get(mins, 2 * j + 1) * xSums[8 * b + 2 * j + 1]);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) - minSum;
    }

    /** Quants {@code l ..} of group {@code g}: a nibble of {@code qs[32 (g/2) + l]}, the low one for even g. */
    private ByteVector quants(long o, int g, int l) {
        return Lanes.shiftRight(bytes(data, o + 16 + 32 * (g >> 1) + l), 4 * (g & 1)).and((byte) 0x0F);
    }
}
