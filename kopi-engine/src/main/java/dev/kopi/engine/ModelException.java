package dev.kopi.engine;

import dev.kopi.gguf.ModelFormatException;

/**
 * A model file the engine cannot run: an unknown architecture or tensor type, a missing or misshapen tensor, a
 * missing or malformed metadata key. The message names the key or tensor.
 */
public class ModelException extends ModelFormatException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
