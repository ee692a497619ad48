package dev.kopi.eval.backend;

import java.io.IOException;

/**
 * Something that answers chat requests: an OpenAI-compatible endpoint ({@link OpenAiBackend}: kopi serve, vLLM, the
 * SEA-LION API) or a model loaded in this process. Implementations are thread-safe; the runner calls
 * {@link #complete} from as many threads as {@link #concurrency()} allows.
 */
public interface Backend extends AutoCloseable {
    /** Generates one answer; throws when the request fails for good (after the backend's own retries). */
    Completion complete(ChatRequest request) throws IOException, InterruptedException;

    /** How many requests the runner may have in flight at once. */
    int concurrency();

    /** The model name recorded in results. */
    String modelName();

    @Override
    default void close() {}
}
