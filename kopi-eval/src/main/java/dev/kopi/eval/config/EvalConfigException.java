package dev.kopi.eval.config;

/** A task tree, data file or run setting that kopi cannot use; the message names the file and the problem. */
public final class EvalConfigException extends RuntimeException {
    public EvalConfigException(String message) {
        super(message);
    }

    public EvalConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
