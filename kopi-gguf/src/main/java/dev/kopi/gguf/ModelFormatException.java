package dev.kopi.gguf;

/**
 * A model file (GGUF or safetensors) that is malformed, truncated, hostile, or lacks what the caller asked
 * for. The message names the file and the problem in one line, fit to show a user as it is.
 *
 * <p>Unchecked so that metadata and tensor look-ups can throw it too; I/O failures of the file system
 * (missing file, permission denied) stay {@link java.io.IOException}s.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
