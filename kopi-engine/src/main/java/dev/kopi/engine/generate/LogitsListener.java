package dev.kopi.engine.generate;

/**
 * Sees the model's raw logits (before penalties, temperature or truncation) of one request of a
 * {@link BatchGenerator}: what a server needs to report log-probabilities. It is called on the generator's
 * thread, and a row is valid only during the call: keep the work short and copy what is kept.
 */
public interface LogitsListener {
    /**
     * Whether the request wants the logits that predicted its prompt tokens too. Every prompt position is then
     * evaluated afresh (no cached prefix is reused) and {@link #onPromptToken} sees each prompt token after the
     * first.
     */
    default boolean wantsPromptLogits() {
        return false;
    }

    /**
     * The logits {@code logits[offset .. offset + vocab)} that predicted prompt token {@code index}
     * ({@code 1 <= index < prompt length}), which is {@code token}.
     */
    default void onPromptToken(int index, int token, float[] logits, int offset, int vocab) {
    }

    /** The logits {@code token} was sampled from; called for every generated token the text listener sees. */
    void onGeneratedToken(int token, float[] logits, int offset, int vocab);
}
