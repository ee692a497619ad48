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
 */
public record GenerationOptions(SamplerSettings sampling, int maxTokens, List<String> stopStrings,
                                boolean startInReasoning) {
    public GenerationOptions {
        stopStrings = List.copyOf(stopStrings);
    }

    public static GenerationOptions of(SamplerSettings sampling, int maxTokens) {
        return new GenerationOptions(sampling, maxTokens, List.of(), false);
    }

    public GenerationOptions withMaxTokens(int max) {
        return new GenerationOptions(sampling, max, stopStrings, startInReasoning);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(sampling, maxTokens, stops, startInReasoning);
    }

    public GenerationOptions withStartInReasoning(boolean inReasoning) {
        return new GenerationOptions(sampling, maxTokens, stopStrings, inReasoning);
    }
}
