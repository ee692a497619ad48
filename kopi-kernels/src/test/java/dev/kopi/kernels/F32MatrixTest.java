package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class F32MatrixTest {
    @Test
    void matVecAndMatMulAgreeWithADoublePrecisionLoop() {
        Random rnd = new Random(1);
        int rows = 37, cols = 75;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        MemorySegment seg = Arena.ofAuto().allocate((long) w.length * 4);
        MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, w.length);
        WeightMatrix m = WeightMatrix.of(GgmlType.F32, seg, rows, cols);
        int batch = 11;
        float[] x = new float[batch * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            float[] out = new float[batch * rows];
            m.matMul(x, batch, out, pool);
            float[] one = new float[rows];
            m.matVec(x, cols, one, 0, pool);
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < rows; r++) {
                    double ref = 0;
                    for (int c = 0; c < cols; c++) {
                        ref += (double) w[r * cols + c] * x[b * cols + c];
                    }
                    assertThat(out[b * rows + r]).isCloseTo((float) ref, within(1e-4f));
                    if (b == 1) {
                        assertThat(one[r]).isCloseTo((float) ref, within(1e-4f));
                    }
                }
            }
        }
        float[] row = new float[cols];
        m.dequantizeRow(5, row, 0);
        assertThat(row).containsExactly(java.util.Arrays.copyOfRange(w, 5 * cols, 6 * cols));
    }

    @Test
    void rejectsMismatchedSizes() {
        MemorySegment seg = Arena.ofAuto().allocate(100);
        assertThatThrownBy(() -> WeightMatrix.of(GgmlType.F32, seg, 5, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 120 bytes, got 100");
        assertThatThrownBy(() -> WeightMatrix.of(GgmlType.Q8_0, seg, 1, 33))
                .hasMessageContaining("not a whole number of Q8_0 blocks");
    }
}
