package dev.kopi.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Pairs 0-3 sit in the low six
 * bits of bytes 0-3 (scales) and 4-7 (mins); pairs 4-7 take their low four bits from bytes 8-11 and their top two
 * bits from the spare high bits of bytes 0-7.
 */
final class KScales {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private KScales() {
    }

    /** Writes the scales to {@code out[0..8)} and the mins to {@code out[8..16)}. */
    static void unpack(MemorySegment data, long offset, byte[] out) {
        long scales = scales(data, offset);
        long mins = mins(data, offset);
        for (int j = 0; j < 8; j++) {
            out[j] = (byte) (scales >>> (8 * j));
            out[8 + j] = (byte) (mins >>> (8 * j));
        }
    }

    /** The eight scales as the bytes of a long, scale {@code j} in byte {@code j} (all lanes at once). */
    static long scales(MemorySegment data, long offset) {
        long low = data.get(LONG_LE, offset);
        int a = (int) low;
        int c = data.get(Lanes.INT_LE, offset + 8);
        int first = a & 0x3F3F3F3F;
        int second = (c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030);
        return (first & 0xFFFFFFFFL) | ((long) second << 32);
    }

    /** The eight mins as the bytes of a long, min {@code j} in byte {@code j}. */
    static long mins(MemorySegment data, long offset) {
        int b = data.get(Lanes.INT_LE, offset + 4);
        int c = data.get(Lanes.INT_LE, offset + 8);
        int first = b & 0x3F3F3F3F;
        int second = ((c >>> 4) & 0x0F0F0F0F) | ((b >>> 2) & 0x30303030);
        return (first & 0xFFFFFFFFL) | ((long) second << 32);
    }

    /** Byte {@code j} of {@code packed}, unsigned. */
    static int get(long packed, int j) {
        return (int) (packed >>> (8 * j)) & 0xFF;
    }
}
