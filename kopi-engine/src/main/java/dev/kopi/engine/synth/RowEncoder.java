package dev.kopi.engine.synth;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.kopi.gguf.GgmlType;

/**
 * Turns F32 rows into the stored bytes of a tensor type: plain conversion for F32/F16/BF16, kopi's quantizers
 * for the block types.
 */
final class RowEncoder {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private RowEncoder() {}

    /** Encodes {@code rows} rows of {@code rowLength} values from {@code values} into {@code out} (from 0). */
    static void encode(GgmlType type, float[] values, int rows, int rowLength, MemorySegment out) {
        int n = rows * rowLength;
        switch (type) {
            case F32 -> MemorySegment.copy(values, 0, out, FLOAT, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out.set(SHORT, 2L * i, Float.floatToFloat16(values[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out.set(SHORT, 2L * i, toBf16(values[i]));
                }
            }
            default -> Quantization.quantize(type, values, rows, rowLength, out);
        }
    }

    /** ggml's {@code ggml_compute_fp32_to_bf16}: round to nearest even, NaN kept quiet. */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 64);
        }
        return (short) ((bits + (0x7fff + ((bits >>> 16) & 1))) >>> 16);
    }
}
