package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
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
        byte[] sm = new byte[16];
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset);
            float dmin = f16(data, offset + 2);
            KScales.unpack(data, offset + 4, sm);
            for (int j = 0; j < 4; j++, dstOffset += 64) {
                float d1 = d * sm[2 * j], m1 = dmin * sm[8 + 2 * j];
                float d2 = d * sm[2 * j + 1], m2 = dmin * sm[8 + 2 * j + 1];
                for (int l = 0; l < 32; l += L) {
                    ByteVector q = bytes(data, offset + 48 + 32 * j + l);
                    ByteVector h = bytes(data, offset + 16 + l);
                    ByteVector lo = lowNibbles(q).or(fifthBit(h, 2 * j));
                    ByteVector hi = highNibbles(q).or(fifthBit(h, 2 * j + 1));
                    toFloat(lo).mul(d1).sub(m1).intoArray(dst, dstOffset + l);
                    toFloat(hi).mul(d2).sub(m2).intoArray(dst, dstOffset + 32 + l);
                }
            }
        }
    }

    /** 16 where bit {@code bit} of the byte is set, else 0. */
    private static ByteVector fifthBit(ByteVector h, int bit) {
        return h.lanewise(VectorOperators.LSHR, bit).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
    }
}
