package dev.kopi.engine;

/** A sequence would grow past the context length its KV cache was created with. */
public final class ContextOverflowException extends RuntimeException {
    private final int needed;
    private final int contextLength;

    public ContextOverflowException(int needed, int contextLength) {
        super("the context is full: " + needed + " tokens needed but the context holds " + contextLength
                + " (use a larger context or a shorter prompt)");
        this.needed = needed;
        this.contextLength = contextLength;
    }

    /** Tokens the sequence would need room for. */
    public int needed() {
        return needed;
    }

    /** Tokens the context holds. */
    public int contextLength() {
        return contextLength;
    }
}
