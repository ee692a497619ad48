package dev.kopi.engine;

import dev.kopi.engine.generate.Session;
import dev.kopi.engine.generate.StopReason;
import dev.kopi.engine.sample.Sampler;
import dev.kopi.engine.sample.SamplerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTest {
    static LlamaModel model;

    @BeforeAll
    static void load() {
        model = new TinyQwen3(11).model(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void reusingASharedPrefixGivesTheSameLogitsAsAFreshRun() {
        int[] turn1 = {1, 2, 3, 4, 5, 6};
        int[] turn2 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] edited = {1, 2, 3, 40, 50};
        Session session = new Session(model, 64);
        assertThat(session.prefill(turn1)).isZero();
        assertThat(session.prefill(turn2)).isEqualTo(6);
        Qwen3ModelTest.assertClose(session.logits(), fresh(turn2), 1e-5f);
        assertThat(session.prefill(edited)).isEqualTo(3);
        Qwen3ModelTest.assertClose(session.logits(), fresh(edited), 1e-5f);
        assertThat(session.prefill(edited)).as("an identical prompt re-evaluates only its last token").isEqualTo(4);
        Qwen3ModelTest.assertClose(session.logits(), fresh(edited), 1e-5f);
    }

    @Test
    void generationIsReproducibleWithASeedAndStopsAtEndTokens() {
        List<Integer> first = generate(SamplerSettings.defaults(7).withTemperature(1.2f), 12, new int[0]);
        List<Integer> second = generate(SamplerSettings.defaults(7).withTemperature(1.2f), 12, new int[0]);
        assertThat(first).hasSize(12).isEqualTo(second);
        int end = first.get(3);
        List<Integer> stopped = generate(SamplerSettings.defaults(7).withTemperature(1.2f), 12, new int[] {end});
        assertThat(stopped).isEqualTo(first.subList(0, first.indexOf(end)));
    }

    @Test
    void cancellationStopsTheLoop() {
        Session session = new Session(model, 64);
        session.prefill(new int[] {1, 2, 3});
        AtomicInteger seen = new AtomicInteger();
        StopReason reason = session.generate(new Sampler(SamplerSettings.greedy()), 50, new int[0],
                t -> true, () -> seen.incrementAndGet() > 3);
        assertThat(reason).isEqualTo(StopReason.CANCELLED);
        assertThat(session.length()).isEqualTo(6);
    }

    @Test
    void theContextLimitIsAClearErrorForPromptsAndEndsGeneration() {
        Session session = new Session(model, 8);
        assertThatThrownBy(() -> session.prefill(new int[9])).isInstanceOf(ContextOverflowException.class)
                .hasMessageContaining("9 tokens needed but the context holds 8");
        session.prefill(new int[] {1, 2, 3, 4, 5});
        List<Integer> out = new ArrayList<>();
        StopReason reason = session.generate(new Sampler(SamplerSettings.greedy()), 100, new int[0],
                t -> out.add(t), () -> false);
        assertThat(reason).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(session.length()).isEqualTo(8);
        assertThat(out).hasSize(4);
    }

    private static List<Integer> generate(SamplerSettings settings, int max, int[] end) {
        Session session = new Session(model, 64);
        session.prefill(new int[] {3, 1, 4, 1, 5});
        List<Integer> out = new ArrayList<>();
        session.generate(new Sampler(settings), max, end, t -> out.add(t), () -> false);
        return out;
    }

    private static float[] fresh(int[] prompt) {
        Session s = new Session(model, 64);
        s.prefill(prompt);
        return s.logits();
    }
}
