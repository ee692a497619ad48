package dev.kopi.server;

import dev.kopi.engine.generate.LogitsListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Log-probabilities of one request's tokens as vLLM reports them by default: the log-softmax of the model's raw
 * logits (before penalties, temperature, top-k/p), for each token and for the {@code top} most likely
 * alternatives at its position. With {@code prompt}, the prompt's tokens after the first are scored too (the
 * first has nothing before it). Filled on the generator's thread; read once the request has finished, or
 * drained piece by piece while streaming.
 */
final class TokenLogprobs implements LogitsListener {
    /**
     * One scored position.
     *
     * @param token       the token there
     * @param logprob     its log-probability
     * @param topTokens   the most likely tokens, most likely first
     * @param topLogprobs their log-probabilities
     */
    record Entry(int token, double logprob, int[] topTokens, double[] topLogprobs) {
    }

    private final int top;
    private final boolean prompt;
    private final List<Entry> promptEntries = new ArrayList<>();
    private final List<Entry> generated = new ArrayList<>();
    private int drained;

    TokenLogprobs(int top, boolean prompt) {
        this.top = top;
        this.prompt = prompt;
    }

    @Override
    public boolean wantsPromptLogits() {
        return prompt;
    }

    @Override
    public synchronized void onPromptToken(int index, int token, float[] logits, int offset, int vocab) {
        promptEntries.add(score(token, logits, offset, vocab, top));
    }

    @Override
    public synchronized void onGeneratedToken(int token, float[] logits, int offset, int vocab) {
        generated.add(score(token, logits, offset, vocab, top));
    }

    /** The prompt's scored tokens (from its second on). */
    synchronized List<Entry> prompt() {
        return List.copyOf(promptEntries);
    }

    synchronized List<Entry> generated() {
        return List.copyOf(generated);
    }

    /** The generated entries not drained before. */
    synchronized List<Entry> drainGenerated() {
        List<Entry> fresh = List.copyOf(generated.subList(drained, generated.size()));
        drained = generated.size();
        return fresh;
    }

    /** Scores {@code token} and finds the {@code top} best of {@code logits[offset .. offset + vocab)}. */
    static Entry score(int token, float[] logits, int offset, int vocab, int top) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double logNormalizer = max + Math.log(sum);
        int n = Math.min(top, vocab);
        int[] best = new int[n];
        int size = 0;
        // insertion into a short sorted list: most positions never get past the first comparison
        for (int i = 0; i < vocab && n > 0; i++) {
            float value = logits[offset + i];
            if (size == n && value <= logits[offset + best[n - 1]]) {
                continue;
            }
            int at = size < n ? size++ : n - 1;
            while (at > 0 && logits[offset + best[at - 1]] < value) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        double[] bestLogprobs = new double[n];
        for (int i = 0; i < n; i++) {
            bestLogprobs[i] = logits[offset + best[i]] - logNormalizer;
        }
        return new Entry(token, logits[offset + token] - logNormalizer, best, bestLogprobs);
    }
}
