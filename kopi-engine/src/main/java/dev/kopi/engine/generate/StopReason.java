package dev.kopi.engine.generate;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token (eos, eot, end of turn). */
    END_OF_GENERATION,
    /** A stop string appeared in the output. */
    STOP_STRING,
    /** The token limit was reached. */
    MAX_TOKENS,
    /** The context filled up. */
    CONTEXT_FULL,
    /** The caller cancelled. */
    CANCELLED
}
