package dev.kopi.template.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja's {@code namespace()}: the only object whose attributes a template may assign. */
public final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();
}
