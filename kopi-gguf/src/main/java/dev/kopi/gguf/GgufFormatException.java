package dev.kopi.gguf;

/**
 * A GGUF file that is malformed, truncated or hostile, or a metadata key or tensor that is missing or has
 * another type than asked for. The message names the file and the problem, for example
 * {@code model.gguf: tensor 'blk.0.attn_q.weight' data [4096..8192) lies past the end of the file (size 6000)}.
 */
public class GgufFormatException extends ModelFormatException {
    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
