package dev.kopi.engine.generate;

import dev.kopi.engine.Batch;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Logits;
import dev.kopi.engine.Model;
import dev.kopi.tokenizer.Tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching: many generations share every forward pass of one model, as in vLLM or llama-server.
 * Requests are {@link #submit submitted} from any thread; one driver thread loops, and each step builds one
 * {@link Batch} holding the next token of every decoding sequence plus chunks of prompts still to be read
 * (chunked prefill: at most {@link Settings#stepTokens} tokens a step, so a long prompt never stalls the others
 * for longer than one chunk), runs {@link Model#forward} once, and hands each sequence its own row of logits.
 * Each sequence has its own sampler, streaming decoder, stop strings and reasoning split (the same
 * {@link Decoding} and {@link GeneratedText} a single-sequence {@link Generator} uses, so a request stops at the
 * same token for the same reason either way).
 *
 * <p>Each running sequence occupies one slot of a shared {@link KvCache}; when all slots are busy, further
 * requests wait in submission order. A finished slot keeps its tokens: a later request whose prompt starts the
 * same way (a system prompt, few-shot examples, earlier turns) takes the free slot with the longest common
 * prefix and reads only the rest, like llama-server's slot prompt cache; among equals, the slot freed longest
 * ago is reused first. Slots running other requests are not shared.
 *
 * <p>A request may ask for the raw logits of its tokens through a {@link LogitsListener} (a server's
 * log-probabilities): those it samples from and, if it wants, those that predicted its prompt tokens, for which
 * every prompt position is evaluated with its logits kept.
 *
 * <p>A request fails alone: a prompt that does not fit the context is refused by {@link #submit}, and an
 * exception thrown by a request's listener completes that request exceptionally while the others go on. If the
 * forward pass itself fails, the requests in that batch fail and their slots are cleared.
 */
public final class BatchGenerator implements AutoCloseable {
    /** Tokens per forward pass by default: the engine's own chunk of prompt tokens per pass. */
    public static final int DEFAULT_STEP_TOKENS = 256;

    /**
     * How the generator is sized.
     *
     * @param sequences     generations running at once (KV cache slots)
     * @param contextLength positions of each slot: prompt plus generated tokens of one request
     * @param stepTokens    tokens per forward pass, decoding tokens first, the rest for prompt chunks; more than
     *                      {@code sequences}, so prompts always make progress. Larger steps read prompts faster,
     *                      smaller ones keep the decoding sequences' pace steadier.
     */
    public record Settings(int sequences, int contextLength, int stepTokens) {
        public Settings {
            if (sequences < 1 || contextLength < 1) {
                throw new IllegalArgumentException("a batch generator needs at least one sequence of one position, got "
                        + sequences + " sequences of " + contextLength);
            }
            if (stepTokens <= sequences) {
                throw new IllegalArgumentException("the tokens per step (" + stepTokens
                        + ") must exceed the sequences (" + sequences + ") to leave room for prompts");
            }
        }

        /** {@code sequences} slots of {@code contextLength} positions, {@link #DEFAULT_STEP_TOKENS} a step. */
        public static Settings of(int sequences, int contextLength) {
            return new Settings(sequences, contextLength, Math.max(DEFAULT_STEP_TOKENS, sequences + 1));
        }
    }

    private final Model model;
    private final Tokenizer tokenizer;
    private final Settings settings;
    private final KvCache cache;
    /** What each slot holds: its cached tokens, for prefix reuse. */
    private final Session[] slots;
    private final Sequence[] occupants;
    /** When each slot was last freed, in steps of {@link #clock}: the oldest free slot is reused first. */
    private final long[] freedAt;
    private long clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition submittedOrClosed = lock.newCondition();
    /** Requests not yet seen by the driver; guarded by {@link #lock}. */
    private final ArrayDeque<Sequence> submitted = new ArrayDeque<>();
    private boolean closed;
    private Throwable driverFailure;

    // Owned by the driver thread.
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final List<Sequence> stepped = new ArrayList<>();
    private final Batch batch;
    private final Thread driver;

    /** Starts the driver thread. {@code model} stays the caller's: close it after this generator. */
    public BatchGenerator(Model model, Tokenizer tokenizer, Settings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.cache = model.newCache(settings.sequences(), settings.contextLength());
        this.slots = new Session[settings.sequences()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Session(model, cache, i);
        }
        this.occupants = new Sequence[slots.length];
        this.freedAt = new long[slots.length];
        this.batch = new Batch(settings.stepTokens() + settings.sequences());
        this.driver = Thread.ofPlatform().name("kopi-batch").daemon().unstarted(this::drive);
        driver.start();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues a generation; it starts as soon as a slot is free.
     *
     * @throws dev.kopi.engine.ContextOverflowException if the prompt does not fit a slot's context
     * @throws IllegalArgumentException if the prompt is empty, holds an id outside the vocabulary, or a stop
     *     string is empty
     * @throws IllegalStateException if the generator is closed
     */
    public GenerationHandle submit(GenerationRequest request) {
        Sequence sequence = new Sequence(request, tokenizer, model.vocabularySize());
        int[] prompt = sequence.prompt;
        Session.checkFits(prompt, settings.contextLength());
        int vocab = model.vocabularySize();
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocab) {
                throw new IllegalArgumentException("token id " + prompt[i] + " at prompt index " + i
                        + " is outside the vocabulary of " + vocab);
            }
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(driverFailure == null ? "the batch generator is closed"
                        : "the batch generator stopped: " + driverFailure);
            }
            submitted.add(sequence);
            submittedOrClosed.signal();
        } finally {
            lock.unlock();
        }
        return sequence.handle;
    }

    /**
     * Stops the driver after its current step; requests not finished by then fail with an
     * {@link IllegalStateException}. Does not close the model.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            submittedOrClosed.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == driver) {
            return; // a listener closed the generator: the driver stops after this step
        }
        try {
            driver.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drive() {
        Throwable failure = null;
        try {
            while (takeSubmitted()) {
                admit();
                if (!running.isEmpty()) {
                    step();
                }
            }
        } catch (InterruptedException e) {
            failure = e; // nothing interrupts the driver but a JVM going down
        } catch (RuntimeException | Error e) {
            failure = e; // a defect or an OutOfMemoryError: every request learns of it, and submit refuses new ones
        } finally {
            failRemaining(failure);
        }
    }

    /** Moves new requests to the waiting queue, waiting for one when there is nothing to do; false once closed. */
    private boolean takeSubmitted() throws InterruptedException {
        lock.lock();
        try {
            while (submitted.isEmpty() && waiting.isEmpty() && running.isEmpty() && !closed) {
                submittedOrClosed.await();
            }
            waiting.addAll(submitted);
            submitted.clear();
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Ends cancelled requests and starts waiting ones in free slots, in submission order. */
    private void admit() {
        for (Sequence s : running) {
            if (s.handle.cancelRequested()) {
                s.decoding.cancel();
                finish(s);
            }
        }
        running.removeIf(s -> s.handle.isDone());
        while (!waiting.isEmpty()) {
            Sequence s = waiting.peekFirst();
            if (s.handle.cancelRequested()) {
                waiting.removeFirst();
                s.decoding.cancel();
                finish(s);
                continue;
            }
            int slot = freeSlotFor(s.prompt);
            if (slot < 0) {
                return;
            }
            waiting.removeFirst();
            s.slot = slot;
            if (s.wantsPromptLogits()) {
                slots[slot].reset(); // a reused prefix would have no logits
                s.reused = 0;
            } else {
                s.reused = slots[slot].keepPrefixOf(s.prompt);
            }
            s.fed = s.reused;
            s.admittedAt = System.nanoTime();
            occupants[slot] = s;
            running.add(s);
        }
    }

    /** The free slot holding the longest prefix of {@code prompt}, the longest-free among equals; -1 if none. */
    private int freeSlotFor(int[] prompt) {
        int best = -1;
        int bestPrefix = -1;
        for (int i = 0; i < slots.length; i++) {
            if (occupants[i] != null) {
                continue;
            }
            int prefix = slots[i].cachedPrefix(prompt);
            if (prefix > bestPrefix || prefix == bestPrefix && freedAt[i] < freedAt[best]) {
                best = i;
                bestPrefix = prefix;
            }
        }
        return best;
    }

    /** One forward pass: every decoding sequence's next token, then prompt chunks within the step's budget. */
    private void step() {
        batch.clear();
        stepped.clear();
        int budget = settings.stepTokens();
        for (Sequence s : running) {
            if (s.pending >= 0) {
                s.single[0] = s.pending;
                add(s, s.single, 0, 1, true);
                budget--;
            }
        }
        for (Sequence s : running) {
            if (budget == 0) {
                break;
            }
            if (s.pending < 0 && s.fed < s.prompt.length) {
                int n = Math.min(budget, s.prompt.length - s.fed);
                add(s, s.prompt, s.fed, n, s.fed + n == s.prompt.length);
                budget -= n;
            }
        }
        Logits logits;
        try {
            logits = model.forward(batch, cache);
        } catch (RuntimeException e) {
            for (Sequence s : stepped) {
                slots[s.slot].reset(); // the pass may have stopped half way through the cache
                s.handle.fail(e);
                release(s);
            }
            running.removeAll(stepped);
            return;
        }
        int vocab = model.vocabularySize();
        float[] values = logits.values();
        int nextRow = 0;
        for (Sequence s : stepped) {
            Session slot = slots[s.slot];
            slot.evaluated(s.stepTokens, s.stepFrom, s.stepCount);
            boolean promptChunk = s.stepTokens == s.prompt;
            if (promptChunk) {
                s.fed += s.stepCount;
            }
            s.pending = -1;
            int firstRow = nextRow;
            nextRow += s.stepRows;
            if (!s.stepLogits && !(promptChunk && s.wantsPromptLogits())) {
                continue;
            }
            if (s.stepLogits && s.firstLogitsAt == 0) {
                s.firstLogitsAt = System.nanoTime();
            }
            try {
                if (promptChunk && s.wantsPromptLogits()) {
                    for (int i = 0; i < s.stepCount && s.stepFrom + i + 1 < s.prompt.length; i++) {
                        int index = s.stepFrom + i + 1;
                        s.logits.onPromptToken(index, s.prompt[index], values, (firstRow + i) * vocab, vocab);
                    }
                }
                if (!s.stepLogits) {
                    continue;
                }
                s.samplingRows = values;
                s.samplingOffset = (nextRow - 1) * vocab;
                s.pending = s.decoding.next(values, s.samplingOffset, vocab, slot.length() < cache.contextLength());
            } catch (RuntimeException e) {
                s.handle.fail(e);
                release(s);
                continue;
            }
            if (s.pending < 0) {
                finish(s);
            }
        }
        running.removeIf(s -> s.handle.isDone());
    }

    /** Adds {@code count} tokens of {@code s}; {@code logits} asks for the last one's (to sample from). */
    private void add(Sequence s, int[] tokens, int from, int count, boolean logits) {
        int start = slots[s.slot].length();
        boolean every = tokens == s.prompt && s.wantsPromptLogits();
        for (int i = 0; i < count; i++) {
            batch.add(tokens[from + i], start + i, s.slot, every || logits && i == count - 1);
        }
        s.stepTokens = tokens;
        s.stepFrom = from;
        s.stepCount = count;
        s.stepLogits = logits;
        s.stepRows = every ? count : logits ? 1 : 0;
        stepped.add(s);
    }

    /** Completes an ended request with its result (or its listener's failure) and frees its slot. */
    private void finish(Sequence s) {
        long now = System.nanoTime();
        long prefillEnd = s.firstLogitsAt != 0 ? s.firstLogitsAt : now;
        long prefill = s.admittedAt != 0 ? prefillEnd - s.admittedAt : 0;
        try {
            s.handle.complete(s.text.finish(s.decoding.stopReason(), s.prompt.length, s.reused, prefill,
                    now - prefillEnd));
        } catch (RuntimeException e) {
            s.handle.fail(e);
        }
        release(s);
    }

    private void release(Sequence s) {
        if (s.slot >= 0) {
            occupants[s.slot] = null;
            freedAt[s.slot] = ++clock;
        }
    }

    private void failRemaining(Throwable cause) {
        lock.lock();
        try {
            closed = true;
            driverFailure = cause;
            waiting.addAll(submitted);
            submitted.clear();
        } finally {
            lock.unlock();
        }
        IllegalStateException closing = cause == null
                ? new IllegalStateException("the batch generator was closed before the request finished")
                : new IllegalStateException("the batch generator stopped: " + cause, cause);
        for (Sequence s : running) {
            s.handle.fail(closing);
        }
        for (Sequence s : waiting) {
            s.handle.fail(closing);
        }
        running.clear();
        waiting.clear();
    }

    /** A request and its progress; touched only by the driver once submitted. */
    private static final class Sequence {
        final GenerationHandle handle = new GenerationHandle();
        final int[] prompt;
        final GeneratedText text;
        final Decoding decoding;
        /** Sees the raw logits, or null. */
        final LogitsListener logits;
        final int[] single = new int[1];
        int slot = -1;
        /** Prompt tokens the slot holds. */
        int fed;
        int reused;
        /** The sampled token to evaluate in the next step; -1 while the prompt is being read. */
        int pending = -1;
        long admittedAt;
        long firstLogitsAt;
        // this step's share of the batch
        int[] stepTokens;
        int stepFrom;
        int stepCount;
        boolean stepLogits;
        /** Rows of logits this step's share asked for. */
        int stepRows;
        /** Where the row being sampled from lies, for the logits listener. */
        float[] samplingRows;
        int samplingOffset;

        Sequence(GenerationRequest request, Tokenizer tokenizer, int vocab) {
            this.prompt = request.prompt().clone(); // the caller keeps its array
            this.text = new GeneratedText(tokenizer, request.options(), request.listener());
            this.logits = request.logits();
            Session.TokenListener tokens = logits == null ? text : token -> {
                logits.onGeneratedToken(token, samplingRows, samplingOffset, vocab);
                return text.onToken(token);
            };
            this.decoding = new Decoding(Decoding.samplerAfter(prompt, request.options()),
                    request.options().maxTokens(), request.endTokens(), tokens);
        }

        boolean wantsPromptLogits() {
            return logits != null && logits.wantsPromptLogits();
        }
    }
}
