package dev.kopi.safetensors;

import dev.kopi.gguf.ModelFormatException;

/**
 * A safetensors file or sharded checkpoint that is malformed, truncated, hostile or incomplete, or lacks a
 * tensor asked for. The message names the file and the problem in one line.
 */
public class SafetensorsFormatException extends ModelFormatException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
