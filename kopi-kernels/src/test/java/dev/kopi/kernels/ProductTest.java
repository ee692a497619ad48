package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

/**
 * matVec and matMul of every type against a double-precision product of the reference-dequantized weights.
 * Shapes are chosen to hit the kernels' edges: a row count that is not a multiple of the row tile, batches that
 * are not multiples of the batch tile, and activation offsets.
 */
class ProductTest {
    private static final WorkerPool POOL = new WorkerPool(2);

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, mode = EnumSource.Mode.MATCH_ALL, names = DequantizeTest.TYPES)
    void matVecAndMatMulMatchADoubleProduct(GgmlType type) {
        Random rnd = new Random(type.id() * 31L + 5);
        int rows = 45;
        int cols = 768;
        byte[] bytes = RandomBlocks.of(type, rows * cols, rnd);
        if (type == GgmlType.F16 || type == GgmlType.BF16) {
            bytes = finiteHalves(type, rows * cols, rnd);
        }
        WeightMatrix m = WeightMatrix.of(type, RandomBlocks.segment(bytes), rows, cols);
        float[] w = ReferenceDequantizer.dequantize(type, bytes, rows * cols);
        for (int batch : new int[] {1, 2, 7, 13}) {
            float[] x = new float[batch * cols + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[] out = new float[batch * rows];
            m.matMul(x, batch, out, POOL);
            float[] vec = new float[rows + 2];
            m.matVec(x, 3, vec, 2, POOL);
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < rows; r++) {
                    check(type + " matMul batch " + batch + " [" + b + "," + r + "]", out[b * rows + r], w, r, x,
                            b * cols, cols);
                }
            }
            for (int r = 0; r < rows; r++) {
                check(type + " matVec row " + r, vec[2 + r], w, r, x, 3, cols);
            }
        }
    }

    private static void check(String what, float actual, float[] w, int r, float[] x, int xOff, int cols) {
        double exact = 0;
        double magnitude = 0;
        for (int c = 0; c < cols; c++) {
            double p = (double) w[r * cols + c] * x[xOff + c];
            exact += p;
            magnitude += Math.abs(p);
        }
        if (!(Math.abs(actual - exact) <= 1e-5 * magnitude + 1e-30)) {
            throw new AssertionError(what + ": " + actual + " vs exact " + exact + " (sum |w x| " + magnitude + ")");
        }
    }

    /** Random finite 16-bit floats of moderate size (the product test needs no NaN/Inf). */
    private static byte[] finiteHalves(GgmlType type, int n, Random rnd) {
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            float v = (float) rnd.nextGaussian();
            short h = type == GgmlType.F16 ? Float.floatToFloat16(v) : (short) (Float.floatToIntBits(v) >>> 16);
            b[2 * i] = (byte) h;
            b[2 * i + 1] = (byte) (h >> 8);
        }
        return b;
    }
}
