package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
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
                    for (int k = 0; k < 4; k++) {
                        toFloat(quants(low, high, h, k)).mul(d * scale(sc + l / 16 + 2 * k))
                                .intoArray(dst, dstOffset + 32 * k + l);
                    }
                }
            }
        }
    }

    /** Per group of 16: {@code d*scale * sum((q - 32) x)}. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, o += BLOCK_BYTES) {
            float d = f16(data, o + 208);
            for (int half = 0; half < 2; half++) {
                long ql = o + 64 * half;
                long qh = o + 128 + 32 * half;
                long sc = o + 192 + 8 * half;
                int xi = xOffset + 256 * b + 128 * half;
                for (int l = 0; l < 32; l += L) {
                    ByteVector low = bytes(data, ql + l);
                    ByteVector high = bytes(data, ql + 32 + l);
                    ByteVector h = bytes(data, qh + l);
                    for (int k = 0; k < 4; k++) {
                        acc = toFloat(quants(low, high, h, k)).mul(FloatVector.fromArray(F, x, xi + 32 * k + l))
                                .fma(FloatVector.broadcast(F, d * scale(sc + l / 16 + 2 * k)), acc);
                    }
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private float scale(long at) {
        return data.get(ValueLayout.JAVA_BYTE, at);
    }

    /**
     * The signed quants of group {@code k} (elements {@code 32k + l}) of a half: the low ({@code k < 2}) or high
     * nibbles of {@code low} (even k) or {@code high} (odd k), with bits {@code 2k, 2k+1} of {@code h} on top, minus
     * 32. One code path for all four groups keeps the kernels small enough for C2 to inline every vector operation.
     */
    private static ByteVector quants(ByteVector low, ByteVector high, ByteVector h, int k) {
        ByteVector nibbles = Lanes.shiftRight((k & 1) == 0 ? low : high, 4 * (k >> 1)).and((byte) 0x0F);
        ByteVector top = Lanes.shiftLeft(Lanes.shiftRight(h, 2 * k).and((byte) 3), 4);
        return nibbles.or(top).sub((byte) 32);
    }
}
