package dev.kopi.engine.bench;

import java.util.Arrays;

/**
 * One llama-bench test (e.g. {@code pp512} at 2 threads): its parameters and the wall time of each repetition.
 * The statistics are computed as llama-bench computes them: tokens/s per repetition, then their mean and sample
 * standard deviation.
 */
public record BenchResult(
        String modelFilename,
        String modelType,
        long modelSize,
        long modelParameters,
        String backend,
        int batchSize,
        int threads,
        int promptTokens,
        int generatedTokens,
        String testTime,
        long[] samplesNs) {

    /** {@code pp512}, {@code tg128} or {@code pp512+tg128}, as llama-bench names tests. */
    public String testName() {
        if (promptTokens > 0 && generatedTokens == 0) {
            return "pp" + promptTokens;
        }
        if (generatedTokens > 0 && promptTokens == 0) {
            return "tg" + generatedTokens;
        }
        return "pp" + promptTokens + "+tg" + generatedTokens;
    }

    /** Tokens per second of each repetition. */
    public double[] samplesTs() {
        int tokens = promptTokens + generatedTokens;
        return Arrays.stream(samplesNs).mapToDouble(ns -> 1e9 * tokens / ns).toArray();
    }

    public double avgTs() {
        return mean(samplesTs());
    }

    public double stddevTs() {
        return stddev(samplesTs());
    }

    public long avgNs() {
        return (long) mean(Arrays.stream(samplesNs).asDoubleStream().toArray());
    }

    public long stddevNs() {
        return (long) stddev(Arrays.stream(samplesNs).asDoubleStream().toArray());
    }

    static double mean(double[] v) {
        return v.length == 0 ? 0 : Arrays.stream(v).sum() / v.length;
    }

    /** llama-bench's formula: sqrt(Σx²/(n-1) − mean²·n/(n-1)); 0 for fewer than two samples. */
    static double stddev(double[] v) {
        int n = v.length;
        if (n <= 1) {
            return 0;
        }
        double mean = mean(v);
        double squares = Arrays.stream(v).map(x -> x * x).sum();
        return Math.sqrt(Math.max(0, squares / (n - 1) - mean * mean * n / (n - 1)));
    }
}
