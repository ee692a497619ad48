package dev.kopi.kernels;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Prefill: {@code batch} activation rows times a weight matrix at the Qwen3 0.6B layer shapes.
 * GFLOP/s = 2 * rows * cols * batch / time; the F32 FMA peak of this machine is about 192 GFLOP/s on two cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
public class PrefillBenchmark {
    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"3072x1024", "1024x3072"})
    public String shape;

    @Param("64")
    public int batch;

    @Param("2")
    public int threads;

    private Arena arena;
    private WeightMatrix matrix;
    private WorkerPool pool;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(42);
        arena = Arena.ofShared();
        matrix = BenchmarkMatrices.random(type, shape, arena, rnd);
        pool = new WorkerPool(threads);
        x = BenchmarkMatrices.gaussian(matrix.cols() * batch, rnd);
        out = new float[matrix.rows() * batch];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matMul() {
        matrix.matMul(x, batch, out, pool);
        return out;
    }
}
