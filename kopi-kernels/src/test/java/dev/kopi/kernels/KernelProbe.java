package dev.kopi.kernels;

import java.util.Arrays;
import java.util.Locale;

/**
 * A quick same-process comparison of kernels, for iterating on them (JMH's DecodeBenchmark and PrefillBenchmark
 * give the numbers that are published). For each type it runs matVec (batch 1) or matMul (batch B) on a random
 * matrix, interleaving the types round after round so that a noisy neighbour hits all of them alike, and prints
 * the median and best time per call with GB/s of weights and GFLOP/s.
 *
 * <pre>
 * java ... dev.kopi.kernels.KernelProbe SHAPE THREADS BATCH ROUNDS TYPE...
 * java ... dev.kopi.kernels.KernelProbe 151936x1024 1 1 30 Q8_0 Q4_0 Q4_K Q6_K
 * </pre>
 */
public final class KernelProbe {
    private KernelProbe() {}

    public static void main(String[] args) {
        String shape = args[0];
        int threads = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        String[] types = Arrays.copyOfRange(args, 4, args.length);
        BenchmarkFixture[] fixtures = new BenchmarkFixture[types.length];
        for (int i = 0; i < types.length; i++) {
            fixtures[i] = new BenchmarkFixture(types[i], shape, threads, batch);
        }
        long[][] nanos = new long[types.length][rounds];
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            for (BenchmarkFixture f : fixtures) {
                run(f, batch);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < types.length; i++) {
                long t0 = System.nanoTime();
                run(fixtures[i], batch);
                nanos[i][r] = System.nanoTime() - t0;
            }
        }
        for (int i = 0; i < types.length; i++) {
            WeightMatrix m = fixtures[i].matrix;
            long[] t = nanos[i];
            Arrays.sort(t);
            double median = t[t.length / 2];
            double best = t[0];
            double bytes = (double) m.rowBytes() * m.rows();
            double flops = 2.0 * m.rows() * m.cols() * batch;
            System.out.printf(Locale.ROOT, "%-5s %s b%d t%d  median %9.1f us  best %9.1f us  %6.1f GB/s  %6.1f GFLOP/s (median)%n",
                    types[i], shape, batch, threads, median / 1e3, best / 1e3, bytes / median, flops / median);
            fixtures[i].close();
        }
    }

    private static void run(BenchmarkFixture f, int batch) {
        if (batch == 1) {
            f.matrix.matVec(f.x, f.out, f.pool);
        } else {
            f.matrix.matMul(f.x, batch, f.out, f.pool);
        }
    }
}
