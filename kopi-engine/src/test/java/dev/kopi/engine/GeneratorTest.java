package dev.kopi.engine;

import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.Session;
import dev.kopi.engine.generate.StopReason;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.testkit.Fixtures;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Text generation on a tiny random Qwen3 that uses the real Qwen3 tokenizer's vocabulary. */
class GeneratorTest {
    static Tokenizer tokenizer;
    static LlamaModel model;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizers.load(Fixtures.qwen3Tokenizer());
        model = new TinyQwen3(21, 1, 32, 2, 1, 16, 64, tokenizer.vocabSize(), true).model(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void streamedTextIsTheDecodedTokensAndRunsAreReproducible() {
        StringBuilder streamed = new StringBuilder();
        GenerationResult first = generate(options(7, 24), streamed);
        GenerationResult second = generate(options(7, 24), new StringBuilder());
        assertThat(first.tokens()).hasSize(24).isEqualTo(second.tokens());
        assertThat(first.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(streamed.toString()).isEqualTo(first.content());
        String decoded = tokenizer.decode(first.tokens(), true);
        assertThat(decoded).contains(first.content());
        assertThat(first.promptTokens()).isEqualTo(prompt().length);
    }

    @Test
    void aStopStringEndsTheGenerationAndIsNotInTheResult() {
        GenerationResult free = generate(options(3, 30), new StringBuilder());
        String text = free.content();
        String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
        GenerationResult stopped = generate(options(3, 30).withStopStrings(List.of(stop)), new StringBuilder());
        assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(stopped.content()).isEqualTo(text.substring(0, text.indexOf(stop)));
    }

    @Test
    void generationStartingInsideAThinkBlockSplitsReasoning() {
        GenerationResult free = generate(options(5, 16), new StringBuilder());
        GenerationResult thinking = generate(options(5, 16).withStartInReasoning(true), new StringBuilder());
        assertThat(thinking.tokens()).isEqualTo(free.tokens());
        assertThat(thinking.content()).isEmpty();
        assertThat(thinking.reasoning()).isEqualTo(free.content().strip());
    }

    @Test
    void endTokensStopGeneration() {
        GenerationResult free = generate(options(9, 12), new StringBuilder());
        int end = free.tokens()[5];
        Generator generator = new Generator(new Session(model, 64), tokenizer, new int[] {end});
        GenerationResult ended = generator.generate(prompt(), options(9, 12), TextListener.none(), () -> false);
        assertThat(ended.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
        assertThat(ended.tokens().length).isLessThanOrEqualTo(5);
    }

    private static GenerationOptions options(long seed, int max) {
        return GenerationOptions.of(SamplerSettings.defaults(seed).withTemperature(1.5f).withMinP(0), max);
    }

    private static int[] prompt() {
        return tokenizer.encode("Selamat pagi! Apa khabar?", false);
    }

    private static GenerationResult generate(GenerationOptions options, StringBuilder streamed) {
        Generator generator = new Generator(new Session(model, 64), tokenizer, new int[0]);
        return generator.generate(prompt(), options, streamed::append, () -> false);
    }
}
