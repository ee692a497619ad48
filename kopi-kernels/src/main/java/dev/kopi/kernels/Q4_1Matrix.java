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

/** Q4_1: blocks of 32, f16 scale {@code d} and minimum {@code m}, 16 bytes of nibbles; {@code w = q * d + m}. */
final class Q4_1Matrix extends BlockMatrix {
    static final int BLOCK_BYTES = 20;

    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES, dstOffset += 32) {
            float d = f16(data, offset);
            float m = f16(data, offset + 2);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = bytes(data, offset + 4 + j);
                toFloat(lowNibbles(q)).mul(d).add(m).intoArray(dst, dstOffset + j);
                toFloat(highNibbles(q)).mul(d).add(m).intoArray(dst, dstOffset + 16 + j);
            }
        }
    }

    @Override
    int sumGroup() {
        return 32;
    }

    /** {@code sum(w x) = d * sum(q x) + m * sum(x)} per block. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < blocksPerRow; b++, o += BLOCK_BYTES) {
            int xi = xOffset + 32 * b;
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = bytes(data, o + 4 + j);
                p = toFloat(lowNibbles(q)).fma(FloatVector.fromArray(F, x, xi + j), p);
                p = toFloat(highNibbles(q)).fma(FloatVector.fromArray(F, x, xi + 16 + j), p);
            }
            acc = p.fma(FloatVector.broadcast(F, f16(data, o)), acc);
            mins += f16(data, o + 2) * xSums[b];
        }
        return acc.reduceLanes(VectorOperators.ADD) + mins;
    }
}
