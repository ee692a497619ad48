package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
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
}
