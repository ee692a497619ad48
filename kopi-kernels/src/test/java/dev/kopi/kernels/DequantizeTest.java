package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import dev.kopi.testkit.GgmlOracle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every type's vector dequantizer against the scalar reference and against ggml's own to_float, bit for bit. */
class DequantizeTest {
    static final String TYPES = "F32|F16|BF16|Q8_0|Q4_0|Q4_1|Q5_0|Q5_1|Q2_K|Q3_K|Q4_K|Q5_K|Q6_K";

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, mode = EnumSource.Mode.MATCH_ALL, names = TYPES)
    void bitExactWithReferenceAndGgml(GgmlType type) {
        Random rnd = new Random(type.id() * 7919L);
        int rows = 24;
        int cols = 1024;
        byte[] bytes = RandomBlocks.of(type, rows * cols, rnd);
        WeightMatrix m = WeightMatrix.of(type, RandomBlocks.segment(bytes), rows, cols);
        float[] mine = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, mine, r * cols);
        }
        float[] reference = ReferenceDequantizer.dequantize(type, bytes, rows * cols);
        assertSameBits(type + " vs reference", mine, reference);
        if (type != GgmlType.F32) { // ggml has no to_float for F32: its rows are used as they are
            assertSameBits(type + " vs ggml to_float", mine, GgmlOracle.toFloat(type.id(), bytes, rows * cols));
        }
    }

    /** Equal bit patterns, except that any NaN matches any NaN (converters may quieten signalling NaNs). */
    static void assertSameBits(String what, float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "), expected " + expected[i]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }
}
