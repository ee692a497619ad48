package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.kopi.kernels.Lanes.I;
import static dev.kopi.kernels.Lanes.L;
import static dev.kopi.kernels.Lanes.S;
import static dev.kopi.kernels.Lanes.SHORT_LE;

/**
 * The two 16-bit float types. BF16 is the top half of an F32, so widening is a shift. F16 (IEEE half) is
 * widened by rebiasing the exponent; subnormal halves, which have no implicit leading one, are converted as
 * integers times 2^-24 instead, and infinities/NaNs keep an all-ones exponent. Both conversions are exact.
 */
final class HalfMatrix extends BlockMatrix {
    private static final float TWO_POW_MINUS_24 = 0x1p-24f;

    private final boolean brain;

    HalfMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
        this.brain = type == GgmlType.BF16;
    }

    @Override
    void dequantizeBlocks(long offset, int blocks, float[] dst, int dstOffset) {
        int i = 0;
        int bound = blocks - blocks % L;
        for (; i < bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, data, offset + 2L * i, ByteOrder.LITTLE_ENDIAN);
            IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
            IntVector f = brain ? bits.lanewise(VectorOperators.LSHL, 16) : halfToFloatBits(bits);
            f.reinterpretAsFloats().intoArray(dst, dstOffset + i);
        }
        for (; i < blocks; i++) {
            short h = data.get(SHORT_LE, offset + 2L * i);
            dst[dstOffset + i] = brain ? Float.intBitsToFloat(h << 16) : Float.float16ToFloat(h);
        }
    }

    /** F32 bit patterns of the (sign-extended) half-precision bit patterns in {@code h}. */
    private static IntVector halfToFloatBits(IntVector h) {
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector magnitude = h.and(0x7FFF);
        IntVector rebased = magnitude.lanewise(VectorOperators.LSHL, 13).add((127 - 15) << 23);
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        rebased = rebased.add((255 - 31 - (127 - 15)) << 23, special);
        VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 0x0400);
        IntVector small = magnitude.convert(VectorOperators.I2F, 0).reinterpretAsFloats().mul(TWO_POW_MINUS_24)
                .reinterpretAsInts();
        return rebased.blend(small, subnormal).or(sign);
    }
}
