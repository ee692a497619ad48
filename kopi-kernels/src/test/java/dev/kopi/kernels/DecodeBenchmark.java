package dev.kopi.kernels;

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
 * Decode: one activation vector times a weight matrix at the Qwen3 0.6B shapes (rows x cols: 3072x1024
 * gate/up, 1024x3072 down, 151936x1024 output). {@code stream} reads the same weight bytes once with the same
 * threads and does nothing else: the memory-bandwidth anchor, measured in the same run. GB/s = weight bytes /
 * time. The warm-up is long because vector code runs unintrinsified until C2 compiles it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-XX:+UseParallelGC"})
public class DecodeBenchmark {
    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"3072x1024", "1024x3072", "151936x1024"})
    public String shape;

    @Param("2")
    public int threads;

    private Arena arena;
    private WeightMatrix matrix;
    private WorkerPool pool;
    private float[] x;
    private float[] out;
    private long[] checksums;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(42);
        arena = Arena.ofShared();
        matrix = BenchmarkMatrices.random(type, shape, arena, rnd);
        pool = new WorkerPool(threads);
        x = BenchmarkMatrices.gaussian(matrix.cols(), rnd);
        out = new float[matrix.rows()];
        checksums = new long[matrix.rows()];
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

    /** Reads every weight byte once, row-parallel like matVec, folding each row into a checksum. */
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
                long sum = acc.reinterpretAsLongs().reduceLanes(VectorOperators.ADD);
                for (; o < rowBytes; o++) {
                    sum += data.get(ValueLayout.JAVA_BYTE, base + o);
                }
                checksums[r] = sum;
            }
        });
        return checksums;
    }
}
