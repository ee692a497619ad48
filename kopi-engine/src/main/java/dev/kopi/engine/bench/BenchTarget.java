package dev.kopi.engine.bench;

/**
 * What {@link LlamaBench} drives: a loaded model with one sequence of positions. kopi's engine and, in the tests,
 * libllama implement it, so both are timed by the same loop.
 */
public interface BenchTarget {

    /** llama-bench's {@code model_type}, e.g. {@code qwen3 0.6B Q8_0}. */
    String modelType();

    /** Bytes of the weight tensors ({@code model_size}). */
    long modelSize();

    /** Number of weights ({@code model_n_params}). */
    long parameterCount();

    /** Size of the vocabulary the random test tokens are drawn from. */
    int vocabSize();

    /** The token each test begins with: BOS where the model adds one, else {@code fallback}. */
    int firstToken(int fallback);

    /** Threads for the following calls. */
    void setThreads(int threads);

    /** Forgets every position (clears the KV cache). */
    void clear();

    /**
     * Evaluates {@code count} tokens of {@code tokens} from {@code from} as one batch at positions
     * {@code firstPosition...}, computing at least the last position's logits, and waits until it is done.
     */
    void evaluate(int[] tokens, int from, int count, int firstPosition);
}
