package dev.kopi.template;

/**
 * A chat template failed to parse or to render. The message says what went wrong and, for syntax errors, where
 * (line and column in the template source).
 */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
