package dev.kopi.engine.generate;

/** Receives generated text as it becomes final: reasoning and answer separately. */
public interface TextListener {
    /** Text of the {@code <think>} block. */
    default void onReasoning(String text) {
    }

    /** Text of the answer. */
    void onContent(String text);

    /** A listener that ignores everything. */
    static TextListener none() {
        return text -> { };
    }
}
