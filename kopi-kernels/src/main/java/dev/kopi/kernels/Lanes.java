package dev.kopi.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Vector species sized to each other and little-endian block field readers. {@link #F} is the widest float
 * species the CPU runs natively (16 lanes with AVX-512); {@link #B}, {@link #S} and {@link #I} have as many
 * lanes, so one load of quants converts into exactly one float vector.
 */
final class Lanes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * Short.SIZE));
    /** 0, 1, ..., L-1 as ints: the lane numbers, for per-lane bit extraction. */
    static final IntVector IOTA = (IntVector) I.iotaShuffle(0, 1, false).toVector();

    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Lanes() {
    }

    /** The IEEE half-precision float at byte {@code offset}. */
    static float f16(MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(SHORT_LE, offset));
    }

    /** {@code L} bytes from {@code offset}. */
    static ByteVector bytes(MemorySegment seg, long offset) {
        return ByteVector.fromMemorySegment(B, seg, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** Signed bytes widened to floats (exact). */
    static FloatVector toFloat(ByteVector v) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
    }

    /** Bytes widened to ints (sign-extended; callers mask to the bits they want). */
    static IntVector toInt(ByteVector v) {
        return (IntVector) v.convertShape(VectorOperators.B2I, I, 0);
    }

    /** Low nibble of each byte. */
    static ByteVector lowNibbles(ByteVector v) {
        return v.and((byte) 0x0F);
    }

    /** High nibble of each byte. */
    static ByteVector highNibbles(ByteVector v) {
        return shiftRight(v, 4).and((byte) 0x0F);
    }

    /**
     * Each byte shifted right by {@code n}, with bits of its neighbour shifted in at the top: callers mask.
     * x86 has no byte shifts, and C2 widens byte-lane shifts to shorts and back; shifting the same bits as
     * shorts is one instruction.
     */
    static ByteVector shiftRight(ByteVector v, int n) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes();
    }

    /** Each byte shifted left by {@code n}, with bits of its neighbour shifted in at the bottom: callers mask. */
    static ByteVector shiftLeft(ByteVector v, int n) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes();
    }

    /** {@code ((v >>> from) & ((1 << width) - 1)) << to} in each byte, {@code to + width <= 8}. */
    static ByteVector bitField(ByteVector v, int from, int width, int to) {
        ByteVector moved = to >= from ? shiftLeft(v, to - from) : shiftRight(v, from - to);
        return moved.and((byte) (((1 << width) - 1) << to));
    }

    /** Bit {@code firstBit + lane} of {@code bits}, moved to bit {@code to}, in each int lane. */
    static IntVector bitPerLane(int bits, int firstBit, int to) {
        return IntVector.broadcast(I, bits).lanewise(VectorOperators.LSHR, IOTA.add(firstBit)).and(1)
                .lanewise(VectorOperators.LSHL, to);
    }
}
