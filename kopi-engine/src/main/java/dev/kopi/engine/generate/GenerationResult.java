package dev.kopi.engine.generate;

/**
 * The outcome of one generation.
 *
 * @param content         the answer text, without the reasoning block and stop string
 * @param reasoning       the text of the {@code <think>} block, trimmed; empty if there was none
 * @param tokens          the generated token ids (without the end-of-generation token)
 * @param stopReason      why generation ended
 * @param promptTokens    tokens in the prompt
 * @param reusedTokens    prompt tokens whose keys and values were reused from the cache
 * @param prefillNanos    time spent evaluating the prompt
 * @param decodeNanos     time spent generating
 */
public record GenerationResult(String content, String reasoning, int[] tokens, StopReason stopReason,
                               int promptTokens, int reusedTokens, long prefillNanos, long decodeNanos) {

    /** Prompt tokens evaluated per second (reused ones do not count). */
    public double prefillTokensPerSecond() {
        return rate(promptTokens - reusedTokens, prefillNanos);
    }

    /** Generated tokens per second. */
    public double decodeTokensPerSecond() {
        return rate(tokens.length, decodeNanos);
    }

    private static double rate(int n, long nanos) {
        return nanos <= 0 ? 0 : n * 1e9 / nanos;
    }
}
