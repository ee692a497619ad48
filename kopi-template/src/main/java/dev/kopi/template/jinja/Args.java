package dev.kopi.template.jinja;

import java.util.List;
import java.util.Map;

/**
 * Binds the arguments of a built-in filter, test, function or method by Python's rules: each parameter may be
 * given by position or by keyword; unknown keywords and surplus positions are errors.
 */
final class Args {
    private final String function;
    private final List<Object> positional;
    private final Map<String, Object> keywords;
    private final String[] parameters;

    /** {@code parameters} are the names after the subject (the filtered value or the method's object). */
    Args(String function, List<Object> positional, Map<String, Object> keywords, String... parameters) {
        this.function = function;
        this.positional = positional;
        this.keywords = keywords;
        this.parameters = parameters;
        if (positional.size() > parameters.length) {
            throw PyError.type(function + "() takes at most " + parameters.length + " argument"
                    + (parameters.length == 1 ? "" : "s") + " (" + positional.size() + " given)");
        }
        for (String keyword : keywords.keySet()) {
            int at = List.of(parameters).indexOf(keyword);
            if (at < 0) {
                throw PyError.type(function + "() got an unexpected keyword argument '" + keyword + "'");
            }
            if (at < positional.size()) {
                throw PyError.type(function + "() got multiple values for argument '" + keyword + "'");
            }
        }
    }

    boolean has(String name) {
        int at = List.of(parameters).indexOf(name);
        return at < positional.size() || keywords.containsKey(name);
    }

    Object get(String name, Object fallback) {
        int at = List.of(parameters).indexOf(name);
        if (at < 0) {
            throw new IllegalArgumentException(name);
        }
        if (at < positional.size()) {
            return positional.get(at);
        }
        return keywords.getOrDefault(name, fallback);
    }

    Object require(String name) {
        if (!has(name)) {
            throw PyError.type(function + "() missing required argument: '" + name + "'");
        }
        return get(name, null);
    }

    String string(String name, String fallback) {
        Object v = get(name, fallback);
        return v == null ? null : Py.str(v);
    }

    boolean bool(String name, boolean fallback) {
        return Py.truthy(get(name, fallback));
    }

    long integer(String name, long fallback) {
        return Py.toLong(get(name, fallback));
    }
}
