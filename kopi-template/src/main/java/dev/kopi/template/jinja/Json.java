package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} with the options Hugging Face's {@code tojson} filter passes through
 * ({@code ensure_ascii}, {@code indent}, {@code separators}, {@code sort_keys}); the default separators are
 * {@code ", "} and {@code ": "}, or {@code ","} and {@code ": "} when indenting, exactly as in Python.
 */
final class Json {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    private Json(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    /** {@code json.dumps(value, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}. */
    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentText = switch (indent) {
            case null -> null;
            case String s -> s;
            case Markup m -> m.text();
            default -> " ".repeat((int) Math.max(0, Math.min(1000, Py.toLong(indent))));
        };
        String item = indentText == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            List<Object> pair = Py.iterate(separators);
            if (pair.size() != 2) {
                throw PyError.value("too many values to unpack (expected 2)");
            }
            item = Py.str(pair.get(0));
            key = Py.str(pair.get(1));
        }
        StringBuilder out = new StringBuilder();
        new Json(ensureAscii, indentText, item, key, sortKeys).write(value, out, 0);
        return out.toString();
    }

    private void write(Object value, StringBuilder out, int level) {
        if (level > 500) {
            throw new PyError("RecursionError", "maximum recursion depth exceeded while encoding a JSON object");
        }
        Py.checkSize(out.length());
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case java.math.BigInteger b -> out.append(b);
            case Double d -> out.append(number(d));
            case String s -> string(s, out);
            case Markup m -> string(m.text(), out);
            case List<?> list -> array(list, out, level);
            case PyTuple t -> array(t.items(), out, level);
            case Map<?, ?> map -> object(map, out, level);
            default -> throw PyError.type("Object of type " + Py.typeName(value) + " is not JSON serializable");
        }
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Py.floatRepr(d);
    }

    private void newline(StringBuilder out, int level) {
        if (indent != null) {
            out.append('\n');
            for (int i = 0; i < level; i++) {
                out.append(indent);
            }
        }
    }

    private void array(List<?> list, StringBuilder out, int level) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(itemSeparator);
            }
            newline(out, level + 1);
            write(list.get(i), out, level + 1);
        }
        newline(out, level);
        out.append(']');
    }

    private void object(Map<?, ?> map, StringBuilder out, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> Py.compare(a.getKey(), b.getKey(), "<"));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            if (!first) {
                out.append(itemSeparator);
            }
            first = false;
            newline(out, level + 1);
            string(key(e.getKey()), out);
            out.append(keySeparator);
            write(e.getValue(), out, level + 1);
        }
        newline(out, level);
        out.append('}');
    }

    private static String key(Object key) {
        return switch (key) {
            case String s -> s;
            case Markup m -> m.text();
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Double d -> number(d);
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString();
            default -> throw PyError.type("keys must be str, int, float, bool or None, not " + Py.typeName(key));
        };
    }

    private void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
