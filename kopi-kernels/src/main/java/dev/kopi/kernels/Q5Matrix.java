package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
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

    private void store(IntVector q, float d, float m, float[] dst, int at) {
        var w = q.convert(VectorOperators.I2F, 0).reinterpretAsFloats().mul(d);
        (withMin ? w.add(m) : w).intoArray(dst, at);
    }
}
