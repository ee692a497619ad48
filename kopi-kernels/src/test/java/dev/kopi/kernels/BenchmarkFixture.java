package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * What a kernel benchmark runs on: a random weight matrix of a given type and shape ("rows x cols", e.g.
 * "3072x1024") off-heap, a worker pool, and {@code batch} random activation rows with room for the outputs.
 */
final class BenchmarkFixture implements AutoCloseable {
    final WeightMatrix matrix;
    final WorkerPool pool;
    final float[] x;
    final float[] out;
    private final Arena arena = Arena.ofShared();

    BenchmarkFixture(String type, String shape, int threads, int batch) {
        Random rnd = new Random(42);
        GgmlType t = GgmlType.valueOf(type);
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]);
        int cols = Integer.parseInt(dims[1]);
        MemorySegment data = arena.allocate(t.byteSize((long) rows * cols), 64);
        int sliceRows = 256; // filled a slice at a time: no huge heap array
        for (int r = 0; r < rows; r += sliceRows) {
            int n = Math.min(sliceRows, rows - r);
            byte[] bytes = RandomBlocks.of(t, n * cols, rnd);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, r * t.byteSize(cols), bytes.length);
        }
        matrix = WeightMatrix.of(t, data, rows, cols);
        pool = new WorkerPool(threads);
        x = new float[cols * batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        out = new float[rows * batch];
    }

    @Override
    public void close() {
        pool.close();
        arena.close();
    }
}
