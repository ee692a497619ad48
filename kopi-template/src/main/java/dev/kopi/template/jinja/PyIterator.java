package dev.kopi.template.jinja;

import java.util.List;

/**
 * A Python generator or iterator (what {@code map}, {@code select}, {@code items} and {@code reverse} return):
 * iterable once in Python, always truthy, without a length. Kept as a list here; {@code kind} names it in repr.
 */
public record PyIterator(List<Object> items, String kind) {}
