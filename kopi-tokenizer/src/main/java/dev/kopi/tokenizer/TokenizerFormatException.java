package dev.kopi.tokenizer;

/** A tokenizer file that cannot be used: malformed JSON, a missing or inconsistent part, an unsupported feature. */
public final class TokenizerFormatException extends RuntimeException {
    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
