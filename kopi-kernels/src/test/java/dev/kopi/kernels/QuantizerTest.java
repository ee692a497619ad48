package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import dev.kopi.testkit.GgmlOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The quantizers against ggml_quantize_chunk (no importance matrix): byte for byte. */
class QuantizerTest {
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, mode = EnumSource.Mode.MATCH_ALL, names = DequantizeTest.TYPES)
    void byteIdenticalWithGgml(GgmlType type) {
        int rows = 16;
        int cols = 1024;
        float[] values = weights(rows, cols, new Random(type.id() * 104729L));
        byte[] mine = Quantizer.quantize(type, values, rows, cols);
        byte[] ggml = type == GgmlType.F32 ? f32Bytes(values) : GgmlOracle.quantize(type.id(), values, rows, cols);
        assertThat(mine).hasSameSizeAs(ggml);
        int bb = type.bytesPerBlock();
        for (int i = 0; i < mine.length; i++) {
            if (mine[i] != ggml[i]) {
                throw new AssertionError(type + ": byte " + (i % bb) + " of block " + (i / bb) + " is " + mine[i]
                        + ", ggml wrote " + ggml[i]);
            }
        }
        // And the round trip stays close: the dequantized values approximate the input.
        float[] back = new float[values.length];
        WeightMatrix m = WeightMatrix.of(type, RandomBlocks.segment(mine), rows, cols);
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, back, r * cols);
        }
        assertThat(relativeRmse(values, back)).isLessThan(type.isQuantized() ? 0.7 : 0.01);
    }

    @Test
    void rejectsShapesThatAreNotWholeBlocks() {
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q4_K, new float[128], 1, 128))
                .hasMessageContaining("not a whole number of Q4_K blocks");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q8_0, new float[64], 2, 64))
                .hasMessageContaining("do not form a 2 x 64 matrix");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.IQ2_XXS, new float[256], 1, 256))
                .hasMessageContaining("cannot quantize to IQ2_XXS");
    }

    /**
     * Gaussian weights with the awkward cases quantizers must handle: rows of very different scale, an
     * all-zero block, a constant block, single outliers and tiny values.
     */
    static float[] weights(int rows, int cols, Random rnd) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double scale = Math.pow(10, rnd.nextInt(5) - 3);
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = (float) (rnd.nextGaussian() * scale);
            }
        }
        Arrays.fill(v, 0, 256, 0f);
        Arrays.fill(v, 256, 512, 0.25f);
        for (int k = 0; k < rows; k++) {
            v[rnd.nextInt(v.length)] *= 40;
        }
        for (int i = 512; i < 768; i++) {
            v[i] *= 1e-6f;
        }
        return v;
    }

    static double relativeRmse(float[] a, float[] b) {
        double err = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            err += (a[i] - b[i]) * (double) (a[i] - b[i]);
            ref += a[i] * (double) a[i];
        }
        return Math.sqrt(err / ref);
    }

    private static byte[] f32Bytes(float[] values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int k = 0; k < 4; k++) {
                b[4 * i + k] = (byte) (bits >> (8 * k));
            }
        }
        return b;
    }
}
