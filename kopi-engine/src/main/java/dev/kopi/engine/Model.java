package dev.kopi.engine;

/**
 * A loaded transformer that turns batches of tokens into logits. Implementations are per architecture
 * ({@link LlamaModel}, ...); they own their weights (mapped, never copied) and their worker threads.
 *
 * <p>{@link #forward} is not thread-safe: one caller drives a model at a time, batching sequences together to
 * serve many users.
 */
public interface Model extends AutoCloseable {

    /** The hyper-parameters read from the file. */
    ModelConfig config();

    /** Rows of the output matrix: the logits per token. */
    int vocabularySize();

    /** A KV cache with {@code sequences} slots of {@code contextLength} positions each. */
    default KvCache newCache(int sequences, int contextLength) {
        return new KvCache(config(), sequences, contextLength);
    }

    /**
     * Runs {@code batch} through the model, appending its keys and values to {@code cache}, and returns the
     * logits of the batch tokens that asked for them. Large batches are processed in chunks internally.
     *
     * @throws ContextOverflowException if a position does not fit the cache's context
     * @throws IllegalArgumentException if a token id is out of range or a position leaves a gap
     */
    Logits forward(Batch batch, KvCache cache);

    /**
     * The logits at every position of {@code tokens} run as one fresh sequence, row-major
     * ({@code tokens.length x vocabularySize()}): what {@code kopi logits} writes.
     */
    default float[] logitsForAllPositions(int[] tokens) {
        KvCache cache = newCache(1, Math.max(1, tokens.length));
        return forward(Batch.of(0, 0, tokens, true), cache).values();
    }

    /** Releases the worker threads and the mapping of the file. */
    @Override
    void close();
}
