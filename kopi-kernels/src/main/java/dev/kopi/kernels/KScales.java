package dev.kopi.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Pairs 0-3 sit in the low six
 * bits of bytes 0-3 (scales) and 4-7 (mins); pairs 4-7 take their low four bits from bytes 8-11 and their top two
 * bits from the spare high bits of bytes 0-7.
 */
final class KScales {
    private KScales() {
    }

    /** Writes the scales to {@code out[0..8)} and the mins to {@code out[8..16)}. */
    static void unpack(MemorySegment data, long offset, byte[] out) {
        for (int j = 0; j < 4; j++) {
            out[j] = (byte) (byteAt(data, offset + j) & 63);
            out[8 + j] = (byte) (byteAt(data, offset + j + 4) & 63);
        }
        for (int j = 4; j < 8; j++) {
            int packed = byteAt(data, offset + j + 4);
            out[j] = (byte) ((packed & 0xF) | ((byteAt(data, offset + j - 4) >> 6) << 4));
            out[8 + j] = (byte) ((packed >> 4) | ((byteAt(data, offset + j) >> 6) << 4));
        }
    }

    private static int byteAt(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }
}
