package dev.kopi.engine.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * llama-bench's measurement loop ({@code tools/llama-bench/llama-bench.cpp}), so that kopi's numbers and
 * llama.cpp's are taken the same way.
 *
 * <p>For each thread count and test: a warm-up (the whole prompt for a pp test, one token for a tg test), then
 * {@code repetitions} timed runs, each starting from an empty KV cache. A prompt test evaluates {@code nPrompt}
 * random tokens in batches of {@code batchSize}; a generation test evaluates {@code nGen} random tokens one at a
 * time. Tokens are random ids (seeded), the first one BOS where the model adds one.
 */
public final class LlamaBench {

    /**
     * What to run.
     *
     * @param promptLengths  prompt tests ({@code -p}); 0 entries are skipped
     * @param generateCounts generation tests ({@code -n}); 0 entries are skipped
     * @param threadCounts   thread counts ({@code -t})
     * @param repetitions    timed runs per test ({@code -r})
     * @param batchSize      tokens per evaluate call in prompt tests ({@code -b}, llama-bench default 2048)
     * @param warmup         run the warm-up first (llama-bench does unless {@code --no-warmup})
     */
    public record Plan(List<Integer> promptLengths, List<Integer> generateCounts, List<Integer> threadCounts,
                       int repetitions, int batchSize, boolean warmup) {
        public Plan {
            promptLengths = List.copyOf(promptLengths);
            generateCounts = List.copyOf(generateCounts);
            threadCounts = List.copyOf(threadCounts);
            if (repetitions < 1) {
                throw new IllegalArgumentException("repetitions must be at least 1, not " + repetitions);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
            }
            for (int t : threadCounts) {
                if (t < 1) {
                    throw new IllegalArgumentException("thread counts must be at least 1, not " + t);
                }
            }
            for (int n : promptLengths) {
                if (n < 0) {
                    throw new IllegalArgumentException("prompt lengths must not be negative: " + n);
                }
            }
            for (int n : generateCounts) {
                if (n < 0) {
                    throw new IllegalArgumentException("generation counts must not be negative: " + n);
                }
            }
        }
    }

    private LlamaBench() {}

    /**
     * Runs every test of {@code plan} on {@code target}; the tests' total positions must fit its context.
     *
     * @param modelFilename reported as {@code model_filename}
     * @param backend       reported as {@code backend} (llama-bench prints "CPU")
     */
    public static List<BenchResult> run(BenchTarget target, String modelFilename, String backend, Plan plan) {
        Random random = new Random(1234);
        List<BenchResult> results = new ArrayList<>();
        for (int threads : plan.threadCounts()) {
            for (int n : plan.promptLengths()) {
                if (n > 0) {
                    results.add(test(target, modelFilename, backend, plan, threads, n, 0, random));
                }
            }
            for (int n : plan.generateCounts()) {
                if (n > 0) {
                    results.add(test(target, modelFilename, backend, plan, threads, 0, n, random));
                }
            }
        }
        return results;
    }

    private static BenchResult test(BenchTarget target, String modelFilename, String backend, Plan plan,
                                    int threads, int nPrompt, int nGen, Random random) {
        target.setThreads(threads);
        String testTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (plan.warmup()) {
            target.clear();
            if (nPrompt > 0) {
                prompt(target, nPrompt, plan.batchSize(), random);
            }
            if (nGen > 0) {
                generate(target, 1, nPrompt, random);
            }
        }
        long[] samples = new long[plan.repetitions()];
        for (int r = 0; r < samples.length; r++) {
            target.clear();
            long start = System.nanoTime();
            if (nPrompt > 0) {
                prompt(target, nPrompt, plan.batchSize(), random);
            }
            if (nGen > 0) {
                generate(target, nGen, nPrompt, random);
            }
            samples[r] = System.nanoTime() - start;
        }
        return new BenchResult(modelFilename, target.modelType(), target.modelSize(), target.parameterCount(),
                backend, plan.batchSize(), threads, nPrompt, nGen, testTime, samples);
    }

    private static void prompt(BenchTarget target, int nPrompt, int batchSize, Random random) {
        int vocab = target.vocabSize();
        int[] tokens = new int[Math.min(batchSize, nPrompt)];
        for (int done = 0; done < nPrompt; ) {
            int n = Math.min(nPrompt - done, batchSize);
            tokens[0] = done == 0 ? target.firstToken(random.nextInt(vocab)) : random.nextInt(vocab);
            for (int i = 1; i < n; i++) {
                tokens[i] = random.nextInt(vocab);
            }
            target.evaluate(tokens, 0, n, done);
            done += n;
        }
    }

    private static void generate(BenchTarget target, int nGen, int firstPosition, Random random) {
        int vocab = target.vocabSize();
        int[] token = {target.firstToken(random.nextInt(vocab))};
        for (int i = 0; i < nGen; i++) {
            target.evaluate(token, 0, 1, firstPosition + i);
            token[0] = random.nextInt(vocab);
        }
    }
}
