package dev.kopi.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.kopi.kernels.Lanes.F;
import static dev.kopi.kernels.Lanes.L;

/**
 * Quants two float vectors at a time ({@link #N} = 2 x {@link Lanes#L}): bytes unpacked with one operation per
 * {@code N} quants, then widened to 16-bit integers, where a small integer scale can be applied exactly before
 * the conversion to float. K-quant decode kernels spend most of their instructions on unpacking and scaling; doing
 * both on wide integer lanes instead of per float vector halves that work.
 */
final class Wide {
    /** Quants handled per step. */
    static final int N = 2 * L;
    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(N * Byte.SIZE));
    static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(N * Short.SIZE));
    private static final VectorSpecies<Byte> SIXTEEN_BYTES = ByteVector.SPECIES_128;
    /** {@code SPREAD[g]} maps lane {@code i} to lane {@code g + i / 16}: one scale per group of 16 quants. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Short>[] SPREAD = new VectorShuffle[16];

    static {
        for (int g = 0; g < SPREAD.length; g++) {
            int first = g;
            SPREAD[g] = VectorShuffle.fromOp(SHORTS, i -> Math.min(first + i / 16, N - 1));
        }
    }

    private Wide() {
    }

    /** {@link #N} bytes from {@code offset}. */
    static ByteVector bytes(MemorySegment seg, long offset) {
        return ByteVector.fromMemorySegment(BYTES, seg, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** The 16 signed bytes at {@code offset} as the first 16 lanes of a short vector (the rest zero). */
    static ShortVector sixteenShorts(MemorySegment seg, long offset) {
        ByteVector b = ByteVector.fromMemorySegment(SIXTEEN_BYTES, seg, offset, ByteOrder.LITTLE_ENDIAN);
        return (ShortVector) b.convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    /** Signed bytes widened to shorts. */
    static ShortVector shorts(ByteVector v) {
        return (ShortVector) v.convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    /** Lane {@code i} of the result is lane {@code group + i / 16} of {@code scales}. */
    static ShortVector spread(ShortVector scales, int group) {
        return scales.rearrange(SPREAD[group]);
    }

    /** Shorts {@code part * L ..} converted to floats (exact). */
    static FloatVector toFloat(ShortVector v, int part) {
        return (FloatVector) v.convertShape(VectorOperators.S2F, F, part);
    }
}
