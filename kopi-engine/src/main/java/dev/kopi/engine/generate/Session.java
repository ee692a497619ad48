package dev.kopi.engine.generate;

import dev.kopi.engine.Batch;
import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Model;
import dev.kopi.engine.sample.Sampler;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * One conversation's token stream in one KV cache slot. Each call to {@link #prefill} states the whole token
 * sequence the model should have seen (for a chat: the rendered conversation so far); the session keeps the
 * longest prefix its cache already holds and computes only the rest, so a multi-turn chat re-reads only the
 * new turn. {@link #generate} then samples tokens one at a time.
 *
 * <p>Not thread-safe; a server runs many sessions over one model by giving each its own slot of a shared
 * cache and batching their decode steps (see {@link Model#forward}).
 */
public final class Session {
    /** Prompt tokens evaluated per forward pass: bounds the latency of one step and the activation memory. */
    private static final int PREFILL_CHUNK = 512;

    private final Model model;
    private final KvCache cache;
    private final int slot;
    private int[] tokens = new int[256];
    private int length;
    private float[] lastLogits;

    /** A session owning a fresh one-slot cache of {@code contextLength} positions. */
    public Session(Model model, int contextLength) {
        this(model, model.newCache(1, contextLength), 0);
    }

    /** A session using slot {@code slot} of a shared {@code cache}. */
    public Session(Model model, KvCache cache, int slot) {
        this.model = model;
        this.cache = cache;
        this.slot = slot;
        cache.clear(slot);
    }

    public Model model() {
        return model;
    }

    /** Tokens the cache holds for this session. */
    public int length() {
        return length;
    }

    /** Positions the context holds. */
    public int contextLength() {
        return cache.contextLength();
    }

    /** A copy of the tokens the cache holds. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    /** Forgets everything. */
    public void reset() {
        length = 0;
        lastLogits = null;
        cache.clear(slot);
    }

    /**
     * Makes the cache hold exactly {@code prompt}, reusing the longest prefix it already holds, and returns the
     * logits after the last token. At least the last token is always evaluated, so its logits are fresh.
     *
     * @return how many prompt tokens were reused from the cache
     * @throws ContextOverflowException if the prompt does not fit the context
     */
    public int prefill(int[] prompt) {
        int reused = keepPrefixOf(prompt);
        for (int start = reused; start < prompt.length; start += PREFILL_CHUNK) {
            int end = Math.min(prompt.length, start + PREFILL_CHUNK);
            append(Arrays.copyOfRange(prompt, start, end));
        }
        return reused;
    }

    /**
     * Truncates the cache to the longest prefix of {@code prompt} it holds, short of the prompt's last token (whose
     * logits the caller needs), and returns that prefix's length: the tokens a caller need not evaluate again.
     *
     * @throws ContextOverflowException if the prompt does not fit the context
     * @throws IllegalArgumentException if the prompt is empty
     */
    int keepPrefixOf(int[] prompt) {
        checkFits(prompt, cache.contextLength());
        int reused = Math.min(cachedPrefix(prompt), prompt.length - 1);
        truncate(reused);
        return reused;
    }

    /** Checks that {@code prompt} has tokens and fits a context of {@code contextLength} positions. */
    static void checkFits(int[] prompt, int contextLength) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (prompt.length > contextLength) {
            throw new ContextOverflowException(prompt.length, contextLength);
        }
    }

    /** Length of the longest prefix of {@code prompt} the cache holds. */
    int cachedPrefix(int[] prompt) {
        int n = Math.min(length, prompt.length);
        int i = 0;
        while (i < n && tokens[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    /**
     * Records that a forward pass the caller ran has appended {@code next[from .. from + count)} to this session's
     * slot (a batch shared with other sessions).
     */
    void evaluated(int[] next, int from, int count) {
        ensureCapacity(length + count);
        System.arraycopy(next, from, tokens, length, count);
        length += count;
    }

    /** Evaluates {@code next} after what the cache holds and returns the logits after its last token. */
    public float[] append(int... next) {
        if (length + next.length > cache.contextLength()) {
            throw new ContextOverflowException(length + next.length, cache.contextLength());
        }
        Batch batch = Batch.of(slot, length, next, false);
        lastLogits = model.forward(batch, cache).row(0);
        evaluated(next, 0, next.length);
        return lastLogits;
    }

    /** The logits after the last evaluated token. */
    public float[] logits() {
        if (lastLogits == null) {
            throw new IllegalStateException("nothing has been evaluated yet");
        }
        return lastLogits;
    }

    /**
     * Samples up to {@code maxTokens} tokens after the prompt, evaluating each, until an end-of-generation
     * token (not evaluated, not counted), the listener asks to stop, {@code cancelled} turns true, or the
     * context is full. The last token of a generation is not evaluated: nothing reads its logits.
     *
     * @param sampler  chooses tokens; it should already have {@link Sampler#accept accepted} the prompt for
     *                 penalties
     * @param maxTokens tokens to generate at most; negative means until another reason stops the generation
     * @param endTokens tokens that end the generation (eos, eot, the template's end of turn)
     * @param listener sees each generated token; returning false stops after it
     */
    public StopReason generate(Sampler sampler, int maxTokens, int[] endTokens, TokenListener listener,
                               BooleanSupplier cancelled) {
        Decoding decoding = new Decoding(sampler, maxTokens, endTokens, listener);
        float[] logits = logits();
        while (!decoding.ended()) {
            if (cancelled.getAsBoolean()) {
                decoding.cancel();
                break;
            }
            int token = decoding.next(logits, 0, model.vocabularySize(), length < cache.contextLength());
            if (token >= 0) {
                logits = append(token);
            }
        }
        return decoding.stopReason();
    }

    private void truncate(int n) {
        length = n;
        cache.truncate(slot, n);
    }

    private void ensureCapacity(int n) {
        if (n > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(n, 2 * tokens.length));
        }
    }

    /** Receives generated tokens as they are sampled. */
    @FunctionalInterface
    public interface TokenListener {
        /** Returns false to stop generating after this token (e.g. a stop string was completed). */
        boolean onToken(int token);
    }
}
