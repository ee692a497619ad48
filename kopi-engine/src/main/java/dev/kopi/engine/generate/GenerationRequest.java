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
 * @param logits    sees the raw logits of the request's tokens (for log-probabilities), or null
 */
public record GenerationRequest(int[] prompt, GenerationOptions options, int[] endTokens, TextListener listener,
                                LogitsListener logits) {
    public GenerationRequest {
        prompt = prompt.clone();
        Objects.requireNonNull(options, "options");
        endTokens = Decoding.endTokenSet(endTokens);
        Objects.requireNonNull(listener, "listener");
    }

    /** A request whose logits nobody needs to see. */
    public GenerationRequest(int[] prompt, GenerationOptions options, int[] endTokens, TextListener listener) {
        this(prompt, options, endTokens, listener, null);
    }
}
