package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.bytes;
import static dev.kopi.kernels.Lanes.f16;
import static dev.kopi.kernels.Lanes.toFloat;

/**
 * Q4_K and Q5_K: super-blocks of 256 as eight groups of 32, each with a 6-bit scale and a 6-bit min (packed into
 * 12 bytes, see {@link KScales}) under f16 super-scales {@code d} and {@code dmin}: {@code w = d*scale * q -
 * dmin*min}.
 * <ul>
 *   <li>Q4_K (144 bytes): d, dmin, scales, then 128 bytes of nibbles; bytes {@code 32j .. 32j+32} hold group
 *       {@code 2j} in their low nibbles and group {@code 2j+1} in their high nibbles.</li>
 *   <li>Q5_K (176 bytes): the same with 32 bytes of fifth bits ({@code qh}) between scales and nibbles; group
 *       {@code g} takes bit {@code g} of {@code qh[l]} as its value 16.</li>
 * </ul>
 */
final class Q45_KMatrix extends BlockMatrix {
    private final boolean five;
    private final int blockBytes;
    private final int quantsOffset;

    Q45_KMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
        this.five = type == GgmlType.Q5_K;
        this.blockBytes = type.bytesPerBlock();
        this.quantsOffset = five ? 48 : 16;
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++, offset += blockBytes) {
            float d = f16(data, offset);
            float dmin = f16(data, offset + 2);
            long scales = KScales.scales(data, offset + 4);
            long mins = KScales.mins(data, offset + 4);
            for (int g = 0; g < 8; g++, dstOffset += 32) {
                float dl = d * KScales.get(scales, g);
                float ml = dmin * KScales.get(mins, g);
                for (int l = 0; l < 32; l += L) {
                    toFloat(quants(offset, g, l)).mul(dl).sub(ml).intoArray(dst, dstOffset + l);
                }
            }
        }
    }

    @Override
    int sumGroup() {
        return 32;
    }

    /** Per group of 32: {@code d*scale * sum(q x) - dmin*min * sum(x)}. */
    @Override
    float dotRow(int row, float[] x, int xOffset, float[] xSums) {
        long o = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float minSum = 0;
        for (int b = 0; b < blocksPerRow; b++, o += blockBytes) {
            float d = f16(data, o);
            float dmin = f16(data, o + 2);
            long scales = KScales.scales(data, o + 4);
            long mins = KScales.mins(data, o + 4);
            int xb = xOffset + 256 * b;
            for (int g = 0; g < 8; g++) {
                FloatVector p = FloatVector.zero(F);
                for (int l = 0; l < 32; l += L) {
                    p = toFloat(quants(o, g, l)).fma(FloatVector.fromArray(F, x, xb + 32 * g + l), p);
                }
                acc = p.fma(FloatVector.broadcast(F, d * KScales.get(scales, g)), acc);
                minSum += dmin * KScales.get(mins, g) * xSums[8 * b + g];
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) - minSum;
    }

    /**
     * Quants {@code l ..} of group {@code g} of the super-block at {@code o}: a nibble of
     * {@code qs[32 (g/2) + l]} (low for even g), plus 16 times bit {@code g} of {@code qh[l]} for Q5_K.
     */
    private ByteVector quants(long o, int g, int l) {
        ByteVector nibbles = Lanes.shiftRight(bytes(data, o + quantsOffset + 32 * (g >> 1) + l), 4 * (g & 1))
                .and((byte) 0x0F);
        if (!five) {
            return nibbles;
        }
        ByteVector fifth = Lanes.shiftLeft(Lanes.shiftRight(bytes(data, o + 16 + l), g).and((byte) 1), 4);
        return nibbles.or(fifth);
    }
}
