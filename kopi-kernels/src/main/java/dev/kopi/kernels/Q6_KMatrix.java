package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.highNibbles;
import static dev.kopi.kernels.Lanes.lowNibbles;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q6_K: super-blocks of 256 in 210 bytes: 128 bytes of low nibbles ({@code ql}), 64 bytes of 2-bit high parts
 * ({@code qh}), sixteen signed 8-bit scales, an f16 {@code d}. Each half of 128 elements uses 64 {@code ql} bytes
 * and 32 {@code qh} bytes; element {@code l + 32k} ({@code k < 4}) combines a nibble of {@code ql[l + 32(k&1)]}
 * (low for k < 2) with bits {@code 2k..2k+1} of {@code qh[l]}: {@code w = d*scale * (q - 32)}.
 */
final class Q6_KMatrix extends BlockMatrix {
    static final int BLOCK_BYTES = 210;

    Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q6_K, data, rows, cols);
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += BLOCK_BYTES) {
            float d = f16(data, offset + 208);
            for (int half = 0; half < 2; half++, dstOffset += 128) {
                long ql = offset + 64 * half;
                long qh = offset + 128 + 32 * half;
                long sc = offset + 192 + 8 * half;
                for (int l = 0; l < 32; l += L) {
                    ByteVector low = bytes(data, ql + l);
                    ByteVector high = bytes(data, ql + 32 + l);
                    ByteVector h = bytes(data, qh + l);
                    int is = l / 16;
                    store(lowNibbles(low), h, 0, d * scale(sc + is), dst, dstOffset + l);
                    store(lowNibbles(high), h, 2, d * scale(sc + is + 2), dst, dstOffset + 32 + l);
                    store(highNibbles(low), h, 4, d * scale(sc + is + 4), dst, dstOffset + 64 + l);
                    store(highNibbles(high), h, 6, d * scale(sc + is + 6), dst, dstOffset + 96 + l);
                }
            }
        }
    }

    private float scale(long at) {
        return data.get(ValueLayout.JAVA_BYTE, at);
    }

    private static void store(ByteVector nibbles, ByteVector h, int shift, float scale, float[] dst, int at) {
        ByteVector q = nibbles.or(h.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4))
                .sub((byte) 32);
        toFloat(q).mul(scale).intoArray(dst, at);
    }
}
