package dev.kopi.engine.generate;

import dev.kopi.engine.sample.SamplerSettings;

import java.util.List;

/**
 * What one generation should do.
 *
 * @param sampling         how tokens are chosen
 * @param maxTokens        generated tokens at most; negative means until the context is full
 * @param stopStrings      text that ends the generation (not included in the result)
 * @param startInReasoning the prompt already opened a {@code <think>} block
 * @param splitReasoning   separate a {@code <think>} block from the answer; false keeps the text whole, as a raw
 *                         text completion returns it
 */
public record GenerationOptions(SamplerSettings sampling, int maxTokens, List<String> stopStrings,
                                boolean startInReasoning, boolean splitReasoning) {
    public GenerationOptions {
        stopStrings = List.copyOf(stopStrings);
    }

    /** Options that split a {@code <think>} block from the answer. */
    public GenerationOptions(SamplerSettings sampling, int maxTokens, List<String> stopStrings,
                             boolean startInReasoning) {
        this(sampling, maxTokens, stopStrings, startInReasoning, true);
    }

    public static GenerationOptions of(SamplerSettings sampling, int maxTokens) {
        return new GenerationOptions(sampling, maxTokens, List.of(), false);
    }

    public GenerationOptions withMaxTokens(int max) {
        return new GenerationOptions(sampling, max, stopStrings, startInReasoning, splitReasoning);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(sampling, maxTokens, stops, startInReasoning, splitReasoning);
    }

    public GenerationOptions withStartInReasoning(boolean inReasoning) {
        return new GenerationOptions(sampling, maxTokens, stopStrings, inReasoning, splitReasoning);
    }

    public GenerationOptions withSplitReasoning(boolean split) {
        return new GenerationOptions(sampling, maxTokens, stopStrings, startInReasoning, split);
    }
}
