package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.toFloat;

/** Q8_0: blocks of 32, an f16 scale {@code d} then 32 signed bytes; {@code w = q * d}. */
final class Q8_0Matrix extends BlockMatrix {
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES, dstOffset += 32) {
            float d = f16(data, offset);
            for (int j = 0; j < 32; j += L) {
                toFloat(bytes(data, offset + 2 + j)).mul(d).intoArray(dst, dstOffset + j);
            }
        }
    }

    /** Per block: the 32 quants times x, then one FMA with the block scale; two blocks per step. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        int b = 0;
        for (; b + 1 < blocksPerRow; b += 2, o += 2 * BLOCK_BYTES) {
            acc0 = blockDot(o, x, xOffset + 32 * b).fma(scale(o), acc0);
            acc1 = blockDot(o + BLOCK_BYTES, x, xOffset + 32 * b + 32).fma(scale(o + BLOCK_BYTES), acc1);
        }
        if (b < blocksPerRow) {
            acc0 = blockDot(o, x, xOffset + 32 * b).fma(scale(o), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    private FloatVector scale(long o) {
        return FloatVector.broadcast(F, f16(data, o));
    }

    private FloatVector blockDot(long o, float[] x, int xi) {
        FloatVector p = toFloat(bytes(data, o + 2)).mul(FloatVector.fromArray(F, x, xi));
        for (int j = L; j < 32; j += L) {
            p = toFloat(bytes(data, o + 2 + j)).fma(FloatVector.fromArray(F, x, xi + j), p);
        }
        return p;
    }
}
