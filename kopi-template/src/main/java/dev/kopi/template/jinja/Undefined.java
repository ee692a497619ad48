package dev.kopi.template.jinja;

/**
 * Jinja's default {@code Undefined}: prints as the empty string, is falsy, iterates as empty and has length 0,
 * but any other use (arithmetic, attribute access, calling) fails with the message Jinja2 gives.
 */
public final class Undefined {
    private final String errorType;
    private final String message;

    private Undefined(String errorType, String message) {
        this.errorType = errorType;
        this.message = message;
    }

    /** A variable that is not defined. */
    public static Undefined name(String name) {
        return new Undefined("UndefinedError", "'" + name + "' is undefined");
    }

    /** A missing attribute or item {@code key} of {@code owner}. */
    public static Undefined member(Object owner, Object key) {
        if (key instanceof String name) {
            return new Undefined("UndefinedError", "'" + Py.objectTypeRepr(owner) + "' has no attribute '" + name + "'");
        }
        return new Undefined("UndefinedError", Py.objectTypeRepr(owner) + " has no element " + Py.repr(key));
    }

    /** An attribute the sandbox refuses (private names, methods that would mutate the template's input). */
    static Undefined unsafe(Object owner, String name) {
        return new Undefined("SecurityError", "access to attribute '" + name + "' of '" + Py.typeName(owner)
                + "' object is unsafe.");
    }

    /** An undefined value with an explicit explanation (e.g. "No first item, sequence was empty."). */
    public static Undefined hint(String hint) {
        return new Undefined("UndefinedError", hint);
    }

    /** The error Jinja2 raises when this value is used. */
    public PyError error() {
        return new PyError(errorType, message);
    }

    @Override
    public String toString() {
        return "";
    }
}
