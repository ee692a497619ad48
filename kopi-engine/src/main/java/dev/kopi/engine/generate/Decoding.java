package dev.kopi.engine.generate;

import dev.kopi.engine.sample.Sampler;

/**
 * The rules that decide, token by token, how one generation goes on: sample from the logits, then end at an
 * end-of-generation token (neither shown nor evaluated), when the listener says so (a stop string completed),
 * when the context has no room to evaluate the token, or at the token limit (the last token is shown but not
 * evaluated: nothing would read its logits). {@link Session#generate} (one sequence) and {@link BatchGenerator}
 * (many sequences sharing each forward pass) both follow them, so both stop at the same token for the same
 * reason.
 */
final class Decoding {
    private final Sampler sampler;
    private final int maxTokens;
    private final int[] endTokens;
    private final Session.TokenListener listener;
    private int produced;
    private StopReason stopReason;

    /**
     * @param sampler   chooses tokens; it should already have {@link Sampler#accept accepted} the prompt
     * @param maxTokens tokens to produce at most; negative means no limit
     */
    Decoding(Sampler sampler, int maxTokens, int[] endTokens, Session.TokenListener listener) {
        this.sampler = sampler;
        this.maxTokens = maxTokens;
        this.endTokens = endTokens;
        this.listener = listener;
        if (maxTokens == 0) {
            stopReason = StopReason.MAX_TOKENS;
        }
    }

    /** The distinct non-negative ids of {@code endTokens} (callers pass -1 for ids a model does not have). */
    static int[] endTokenSet(int[] endTokens) {
        return java.util.Arrays.stream(endTokens).filter(t -> t >= 0).distinct().toArray();
    }

    /** A sampler for {@code options} that has seen {@code prompt} (for the repetition penalties). */
    static Sampler samplerAfter(int[] prompt, GenerationOptions options) {
        Sampler sampler = new Sampler(options.sampling());
        for (int t : prompt) {
            sampler.accept(t);
        }
        return sampler;
    }

    /**
     * Chooses the token that follows {@code logits[offset .. offset + vocab)} and passes it to the listener.
     *
     * @param roomInContext whether the cache can hold one more position of this sequence
     * @return the token to evaluate next, or -1 when the generation has ended (see {@link #stopReason()})
     * @throws RuntimeException whatever the listener throws
     */
    int next(float[] logits, int offset, int vocab, boolean roomInContext) {
        if (ended()) {
            return -1;
        }
        int token = sampler.sample(logits, offset, vocab);
        if (contains(endTokens, token)) {
            return stop(StopReason.END_OF_GENERATION);
        }
        if (!listener.onToken(token)) {
            return stop(StopReason.STOP_STRING);
        }
        produced++;
        if (!roomInContext) {
            return stop(StopReason.CONTEXT_FULL);
        }
        if (produced == maxTokens) {
            return stop(StopReason.MAX_TOKENS);
        }
        return token;
    }

    /** Ends the generation as cancelled (unless it has already ended). */
    void cancel() {
        if (!ended()) {
            stop(StopReason.CANCELLED);
        }
    }

    boolean ended() {
        return stopReason != null;
    }

    /** Why the generation ended; null while it goes on. */
    StopReason stopReason() {
        return stopReason;
    }

    private int stop(StopReason reason) {
        stopReason = reason;
        return -1;
    }

    private static boolean contains(int[] set, int token) {
        for (int t : set) {
            if (t == token) {
                return true;
            }
        }
        return false;
    }
}
