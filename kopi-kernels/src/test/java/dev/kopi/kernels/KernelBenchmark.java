package dev.kopi.kernels;

import dev.kopi.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decode and prefill kernels at the Qwen3 0.6B shapes (rows x cols: 3072x1024 gate/up, 1024x3072 down,
 * 151936x1024 output). {@code stream} reads the same weight bytes once with the same threads and nothing else:
 * the memory-bandwidth anchor a decode kernel is measured against, in the same run.
 *
 * <p>GB/s = weight bytes / time; GFLOP/s = 2 * rows * cols * batch / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g", "-XX:+UseParallelGC"})
public class KernelBenchmark {
    @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"3072x1024", "1024x3072", "151936x1024"})
    public String shape;

    @Param("2")
    public int threads;

    @Param("64")
    public int batch;

    private Arena arena;
    private WeightMatrix matrix;
    private WorkerPool pool;
    private float[] x;
    private float[] out;
    private float[] xs;
    private float[] outs;
    private long[] partial;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]);
        int cols = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        MemorySegment data = arena.allocate(t.byteSize((long) rows * cols), 64);
        Random rnd = new Random(42);
        int chunkRows = 256;
        for (int r = 0; r < rows; r += chunkRows) {
            int n = Math.min(chunkRows, rows - r);
            byte[] bytes = RandomBlocks.of(t, n * cols, rnd);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, r * t.byteSize(cols), bytes.length);
        }
        matrix = WeightMatrix.of(t, data, rows, cols);
        pool = new WorkerPool(threads);
        x = new float[cols];
        out = new float[rows];
        xs = new float[cols * batch];
        outs = new float[rows * batch];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rnd.nextGaussian();
        }
        System.arraycopy(xs, 0, x, 0, cols);
        partial = new long[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matVec() {
        matrix.matVec(x, out, pool);
        return out;
    }

    @Benchmark
    public float[] matMul() {
        if (matrix.rows() > 100_000) {
            throw new UnsupportedOperationException("prefill does not multiply the output matrix by every token");
        }
        matrix.matMul(xs, batch, outs, pool);
        return outs;
    }

    /** Reads every weight byte once (row-parallel like matVec) and folds it into a checksum. */
    @Benchmark
    public long[] stream() {
        MemorySegment data = matrix.data();
        long rowBytes = matrix.rowBytes();
        pool.parallelFor(matrix.rows(), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = r * rowBytes;
                ByteVector acc = ByteVector.zero(ByteVector.SPECIES_512);
                long o = 0;
                for (; o + 64 <= rowBytes; o += 64) {
                    acc = acc.add(ByteVector.fromMemorySegment(ByteVector.SPECIES_512, data, base + o,
                            ByteOrder.LITTLE_ENDIAN));
                }
                long sum = acc.reduceLanesToLong(VectorOperators.ADD);
                for (; o < rowBytes; o++) {
                    sum += data.get(ValueLayout.JAVA_BYTE, base + o);
                }
                partial[r] = sum;
            }
        });
        return partial;
    }
}
