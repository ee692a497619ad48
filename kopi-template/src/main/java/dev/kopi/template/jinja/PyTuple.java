package dev.kopi.template.jinja;

import java.util.List;

/** A Python tuple: like a list, but prints with parentheses and never equals a list. */
public record PyTuple(List<Object> items) {
    public PyTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    static PyTuple of(Object... items) {
        return new PyTuple(java.util.Arrays.asList(items));
    }
}
