package dev.kopi.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LlamaBenchTest {

    /** Records the calls llama-bench's loop makes. */
    static final class Recorder implements BenchTarget {
        final List<String> calls = new ArrayList<>();

        @Override public String modelType() { return "qwen3 0.6B Q8_0"; }
        @Override public long modelSize() { return 633_487_360L; }
        @Override public long parameterCount() { return 596_049_920L; }
        @Override public int vocabSize() { return 151_936; }
        @Override public int firstToken(int fallback) { return fallback; }
        @Override public void setThreads(int threads) { calls.add("threads " + threads); }
        @Override public void clear() { calls.add("clear"); }

        @Override
        public void evaluate(int[] tokens, int from, int count, int firstPosition) {
            for (int i = 0; i < count; i++) {
                assertThat(tokens[from + i]).isBetween(0, vocabSize() - 1);
            }
            calls.add("eval " + count + "@" + firstPosition);
        }
    }

    @Test
    void promptTestsRunInBatchesAndGenerationOneTokenAtATime() {
        Recorder r = new Recorder();
        var plan = new LlamaBench.Plan(List.of(5), List.of(3), List.of(2), 2, 2, true);
        List<BenchResult> results = LlamaBench.run(r, "m.gguf", "CPU", plan);
        assertThat(results).extracting(BenchResult::testName).containsExactly("pp5", "tg3");
        assertThat(results.get(0).samplesNs()).hasSize(2);
        assertThat(r.calls).containsExactly(
                "threads 2",
                "clear", "eval 2@0", "eval 2@2", "eval 1@4",                         // warm-up
                "clear", "eval 2@0", "eval 2@2", "eval 1@4",
                "clear", "eval 2@0", "eval 2@2", "eval 1@4",
                "threads 2",
                "clear", "eval 1@0",                                                  // warm-up
                "clear", "eval 1@0", "eval 1@1", "eval 1@2",
                "clear", "eval 1@0", "eval 1@1", "eval 1@2");
    }

    @Test
    void statisticsAreLlamaBenchs() {
        BenchResult r = new BenchResult("m", "t", 1, 1, "CPU", 2048, 1, 512, 0, "now",
                new long[] {1_000_000_000L, 2_000_000_000L, 4_000_000_000L});
        assertThat(r.samplesTs()).containsExactly(512.0, 256.0, 128.0);
        assertThat(r.avgTs()).isCloseTo(298.6667, within(1e-3));
        assertThat(r.stddevTs()).isCloseTo(195.5232, within(1e-3)); // sample standard deviation
    }

    @Test
    void markdownHasLlamaBenchsColumns() {
        BenchResult r = new BenchResult("m.gguf", "qwen3 0.6B Q8_0", 633_487_360L, 596_049_920L, "CPU", 2048, 2,
                0, 128, "now", new long[] {1_000_000_000L});
        String table = BenchReport.markdown(List.of(r));
        assertThat(table.lines().toList()).containsExactly(
                "| model                          |       size |     params | backend    | threads |            test |                  t/s |",
                "| ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |",
                "| qwen3 0.6B Q8_0                | 604.14 MiB |   596.05 M | CPU        |       2 |           tg128 |        128.00 ± 0.00 |");
        assertThat(BenchReport.json(List.of(r))).contains("\"model_filename\": \"m.gguf\"", "\"n_gen\": 128",
                "\"avg_ts\": 128.000000", "\"samples_ts\": [ 128.000 ]");
    }
}
