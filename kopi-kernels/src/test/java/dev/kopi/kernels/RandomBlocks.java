package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random tensors in every block format: random bytes, with the f16 scale fields set to sane finite values. */
final class RandomBlocks {
    private RandomBlocks() {
    }

    /** Byte offsets of the f16 scale fields within one block of {@code type}. */
    static int[] halfScaleOffsets(GgmlType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> new int[0];
        };
    }

    /** {@code elements} elements of {@code type}; for the float types every bit pattern may appear. */
    static byte[] of(GgmlType type, int elements, Random rnd) {
        byte[] b = new byte[Math.toIntExact(type.byteSize(elements))];
        rnd.nextBytes(b);
        if (type == GgmlType.F32) {
            for (int i = 0; i < elements; i++) {
                putInt(b, 4 * i, Float.floatToIntBits((float) rnd.nextGaussian()));
            }
        }
        int[] scales = halfScaleOffsets(type);
        for (int blk = 0; blk < elements / type.blockSize(); blk++) {
            for (int at : scales) {
                // Mostly ordinary magnitudes, some tiny (subnormal halves) and some negative.
                float v = (float) (rnd.nextGaussian() * (rnd.nextInt(8) == 0 ? 1e-6 : 0.02));
                short h = Float.floatToFloat16(v);
                b[blk * type.bytesPerBlock() + at] = (byte) h;
                b[blk * type.bytesPerBlock() + at + 1] = (byte) (h >> 8);
            }
        }
        return b;
    }

    static MemorySegment segment(byte[] bytes) {
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return seg;
    }

    private static void putInt(byte[] b, int o, int v) {
        for (int k = 0; k < 4; k++) {
            b[o + k] = (byte) (v >> (8 * k));
        }
    }
}
