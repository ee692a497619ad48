package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random weight matrices of benchmark size, filled a slice at a time so no huge heap array is needed. */
final class BenchmarkMatrices {
    private BenchmarkMatrices() {
    }

    /** A {@code shape} ("rows x cols", e.g. "3072x1024") matrix of random blocks of {@code type} in {@code arena}. */
    static WeightMatrix random(String type, String shape, Arena arena, Random rnd) {
        GgmlType t = GgmlType.valueOf(type);
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]);
        int cols = Integer.parseInt(dims[1]);
        MemorySegment data = arena.allocate(t.byteSize((long) rows * cols), 64);
        int sliceRows = 256;
        for (int r = 0; r < rows; r += sliceRows) {
            int n = Math.min(sliceRows, rows - r);
            byte[] bytes = RandomBlocks.of(t, n * cols, rnd);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, r * t.byteSize(cols), bytes.length);
        }
        return WeightMatrix.of(t, data, rows, cols);
    }

    static float[] gaussian(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
