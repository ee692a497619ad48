package dev.kopi.engine.generate;

import java.util.Objects;

/**
 * One generation for a {@link BatchGenerator}.
 *
 * @param prompt    the full token sequence the model should see (a rendered chat, for a chat request)
 * @param options   sampling (with its seed), token limit, stop strings, whether the prompt opened a think block
 * @param endTokens tokens that end the generation, such as {@link Generator#endTokensOf}; negative ids are
 *                  ignored
 * @param listener  receives the text as it becomes final, on the generator's thread: keep it short
 */
public record GenerationRequest(int[] prompt, GenerationOptions options, int[] endTokens, TextListener listener) {
    public GenerationRequest {
        prompt = prompt.clone();
        Objects.requireNonNull(options, "options");
        endTokens = Decoding.endTokenSet(endTokens);
        Objects.requireNonNull(listener, "listener");
    }
}
