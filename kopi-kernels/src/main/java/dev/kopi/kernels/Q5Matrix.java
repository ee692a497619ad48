package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.INT_LE;
import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bitPerLane;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.highNibbles;
import static dev.kopi.kernels.Lanes.lowNibbles;
import static dev.kopi.kernels.Lanes.toInt;

/**
 * Q5_0 and Q5_1: blocks of 32 with an f16 scale {@code d} (and for Q5_1 an f16 minimum {@code m}), a 32-bit word
 * whose bit {@code j} is the fifth bit of element {@code j}, and 16 bytes of low nibbles laid out as in Q4_0.
 * Q5_0: {@code w = (q - 16) * d}; Q5_1: {@code w = q * d + m}.
 */
final class Q5Matrix extends BlockMatrix {
    private final boolean withMin;
    private final int blockBytes;
    private final int highBitsOffset;

    Q5Matrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
        this.withMin = type == GgmlType.Q5_1;
        this.blockBytes = type.bytesPerBlock();
        this.highBitsOffset = withMin ? 4 : 2;
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += blockBytes, dstOffset += 32) {
            float d = f16(data, offset);
            float m = withMin ? f16(data, offset + 2) : 0f;
            int qh = data.get(INT_LE, offset + highBitsOffset);
            int bias = withMin ? 0 : 16;
            for (int j = 0; j < 16; j += L) {
                ByteVector q = bytes(data, offset + highBitsOffset + 4 + j);
                IntVector lo = toInt(lowNibbles(q)).or(bitPerLane(qh, j, 4)).sub(bias);
                IntVector hi = toInt(highNibbles(q)).or(bitPerLane(qh, j + 16, 4)).sub(bias);
                store(lo, d, m, dst, dstOffset + j);
                store(hi, d, m, dst, dstOffset + 16 + j);
            }
        }
    }

    @Override
    int sumGroup() {
        return withMin ? 32 : 0;
    }

    /** Q5_0: {@code d * sum((q - 16) x)}; Q5_1: {@code d * sum(q x) + m * sum(x)}, per block. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float mins = 0;
        int bias = withMin ? 0 : 16;
        for (int b = 0; b < blocksPerRow; b++, o += blockBytes) {
            int xi = xOffset + 32 * b;
            int qh = data.get(INT_LE, o + highBitsOffset);
            FloatVector p = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = bytes(data, o + highBitsOffset + 4 + j);
                IntVector lo = toInt(lowNibbles(q)).or(bitPerLane(qh, j, 4)).sub(bias);
                IntVector hi = toInt(highNibbles(q)).or(bitPerLane(qh, j + 16, 4)).sub(bias);
                p = asFloats(lo).fma(FloatVector.fromArray(F, x, xi + j), p);
                p = asFloats(hi).fma(FloatVector.fromArray(F, x, xi + 16 + j), p);
            }
            acc = p.fma(FloatVector.broadcast(F, f16(data, o)), acc);
            if (withMin) {
                mins += f16(data, o + 2) * xSums[b];
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) + mins;
    }

    private static FloatVector asFloats(IntVector q) {
        return (FloatVector) q.convert(VectorOperators.I2F, 0);
    }

    private void store(IntVector q, float d, float m, float[] dst, int at) {
        FloatVector w = asFloats(q).mul(d);
        (withMin ? w.add(m) : w).intoArray(dst, at);
    }
}
