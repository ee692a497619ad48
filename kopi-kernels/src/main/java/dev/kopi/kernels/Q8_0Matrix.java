package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

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
}
