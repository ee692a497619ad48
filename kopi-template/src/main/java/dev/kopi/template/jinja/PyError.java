package dev.kopi.template.jinja;

/**
 * A runtime error with the Python exception type Jinja2 would raise ({@code TypeError}, {@code UndefinedError},
 * {@code SecurityError}, ...), so that messages read like the reference implementation's.
 */
public final class PyError extends RuntimeException {
    private final String type;
    private final String text;

    public PyError(String type, String text) {
        super(type + ": " + text);
        this.type = type;
        this.text = text;
    }

    public static PyError type(String text) {
        return new PyError("TypeError", text);
    }

    public static PyError value(String text) {
        return new PyError("ValueError", text);
    }

    /** The Python exception class name. */
    public String pyType() {
        return type;
    }

    /** The message without the type. */
    public String text() {
        return text;
    }
}
