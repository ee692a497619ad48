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
        byte[] sm = new byte[16];
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset);
            float dmin = f16(data, offset + 2);
            KScales.unpack(data, offset + 4, sm);
            for (int j = 0; j < 4; j++, dstOffset += 64) {
                float d1 = d * sm[2 * j], m1 = dmin * sm[8 + 2 * j];
                float d2 = d * sm[2 * j + 1], m2 = dmin * sm[8 + 2 * j + 1];
                for (int l = 0; l < 32; l += L) {
                    ByteVector q = bytes(data, offset + 16 + 32 * j + l);
                    toFloat(lowNibbles(q)).mul(d1).sub(m1).intoArray(dst, dstOffset + l);
                    toFloat(highNibbles(q)).mul(d2).sub(m2).intoArray(dst, dstOffset + 32 + l);
                }
            }
        }
    }
}
