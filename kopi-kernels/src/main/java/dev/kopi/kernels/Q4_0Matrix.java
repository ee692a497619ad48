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
 * Q4_0: blocks of 32, an f16 scale {@code d} then 16 bytes of nibbles; element {@code j} is the low nibble of
 * byte {@code j}, element {@code j + 16} the high nibble; {@code w = (q - 8) * d}.
 */
final class Q4_0Matrix extends BlockMatrix {
    static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES, dstOffset += 32) {
            float d = f16(data, offset);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = bytes(data, offset + 2 + j);
                toFloat(lowNibbles(q).sub((byte) 8)).mul(d).intoArray(dst, dstOffset + j);
                toFloat(highNibbles(q).sub((byte) 8)).mul(d).intoArray(dst, dstOffset + 16 + j);
            }
        }
    }

    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        int b = 0;
        for (; b + 1 < blocksPerRow; b += 2, o += 2 * BLOCK_BYTES) {
            acc0 = blockDot(o, x, xOffset + 32 * b).fma(FloatVector.broadcast(F, f16(data, o)), acc0);
            acc1 = blockDot(o + BLOCK_BYTES, x, xOffset + 32 * b + 32)
                    .fma(FloatVector.broadcast(F, f16(data, o + BLOCK_BYTES)), acc1);
        }
        if (b < blocksPerRow) {
            acc0 = blockDot(o, x, xOffset + 32 * b).fma(FloatVector.broadcast(F, f16(data, o)), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** sum((q - 8) * x) over one block, still spread over the lanes. */
    private FloatVector blockDot(long o, float[] x, int xi) {
        FloatVector p = FloatVector.zero(F);
        for (int j = 0; j < 16; j += L) {
            ByteVector q = bytes(data, o + 2 + j);
            p = toFloat(lowNibbles(q).sub((byte) 8)).fma(FloatVector.fromArray(F, x, xi + j), p);
            p = toFloat(highNibbles(q).sub((byte) 8)).fma(FloatVector.fromArray(F, x, xi + 16 + j), p);
        }
        return p;
    }
}
