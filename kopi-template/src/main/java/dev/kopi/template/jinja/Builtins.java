package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's global functions: {@code range}, {@code namespace}, {@code dict} and {@code joiner}. */
final class Builtins {
    private Builtins() {}

    /** The sandbox's limit on {@code range()}, as in Jinja2's {@code MAX_RANGE}. */
    static final long MAX_RANGE = 100_000;

    /** The global function {@code name}, or {@link Py#MISSING}. */
    static Object function(String name) {
        return switch (name) {
            case "range" -> (PyCallable) Builtins::range;
            case "namespace" -> (PyCallable) (interpreter, args, kwargs) -> {
                Namespace ns = new Namespace();
                if (args.size() > 1) {
                    throw PyError.type("namespace expected at most 1 argument, got " + args.size());
                }
                if (!args.isEmpty()) {
                    mapping(args.getFirst()).forEach((k, v) -> ns.attributes.put(Py.str(k), v));
                }
                ns.attributes.putAll(kwargs);
                return ns;
            };
            case "dict" -> (PyCallable) (interpreter, args, kwargs) -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (!args.isEmpty()) {
                    map.putAll(mapping(args.getFirst()));
                }
                map.putAll(kwargs);
                return map;
            };
            case "joiner" -> (PyCallable) (interpreter, args, kwargs) -> {
                String separator = new Args("joiner", args, kwargs, "sep").string("sep", ", ");
                boolean[] used = {false};
                return (PyCallable) (i, a, k) -> {
                    boolean first = !used[0];
                    used[0] = true;
                    return first ? "" : separator;
                };
            };
            default -> Py.MISSING;
        };
    }

    private static Map<Object, Object> mapping(Object value) {
        Map<Object, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            out.putAll(map);
            return out;
        }
        for (Object pair : Py.iterate(value)) {
            List<Object> kv = Py.iterate(pair);
            if (kv.size() != 2) {
                throw PyError.value("dictionary update sequence element has length " + kv.size() + "; 2 is required");
            }
            out.put(kv.get(0), kv.get(1));
        }
        return out;
    }

    private static Object range(Interpreter interpreter, List<Object> args, Map<String, Object> kwargs) {
        Members.noKeywords("range", kwargs);
        if (args.isEmpty() || args.size() > 3) {
            throw PyError.type("range expected at most 3 arguments, got " + args.size());
        }
        long start = args.size() == 1 ? 0 : Py.toLong(args.get(0));
        long stop = Py.toLong(args.size() == 1 ? args.get(0) : args.get(1));
        long step = args.size() == 3 ? Py.toLong(args.get(2)) : 1;
        if (step == 0) {
            throw PyError.value("range() arg 3 must not be zero");
        }
        long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
        if (count > MAX_RANGE) {
            throw new PyError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE ("
                    + MAX_RANGE + ").");
        }
        List<Object> out = new ArrayList<>((int) count);
        for (long i = 0, v = start; i < count; i++, v += step) {
            out.add(v);
        }
        return out;
    }
}
