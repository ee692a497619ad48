package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters with their Python behaviour, and Hugging Face's {@code tojson} (plain
 * {@code json.dumps}, no HTML escaping, {@code ensure_ascii=False} by default).
 */
final class Filters {
    private Filters() {}

    private static final Set<String> NAMES = Set.of("abs", "attr", "capitalize", "center", "count", "d", "default",
            "dictsort", "e", "escape", "first", "float", "forceescape", "format", "indent", "int", "items", "join",
            "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse",
            "round", "safe", "select", "selectattr", "sort", "string", "sum", "title", "tojson", "trim",
            "truncate", "unique", "upper", "wordcount");

    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)");
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object apply(Interpreter interpreter, String name, Object v, List<Object> args,
                        Map<String, Object> kwargs) {
        if (!exists(name)) {
            throw new PyError("TemplateRuntimeError", "No filter named '" + name + "' found.");
        }
        return switch (name) {
            case "default", "d" -> {
                Args a = new Args(name, args, kwargs, "default_value", "boolean");
                boolean useDefault = v instanceof Undefined || (a.bool("boolean", false) && !Py.truthy(v));
                yield useDefault ? a.get("default_value", "") : v;
            }
            case "length", "count" -> {
                new Args(name, args, kwargs);
                yield Py.len(v);
            }
            case "string" -> {
                new Args(name, args, kwargs);
                yield v instanceof Markup ? v : Py.str(v);
            }
            case "safe" -> {
                new Args(name, args, kwargs);
                yield v instanceof Markup ? v : new Markup(Py.str(v));
            }
            case "escape", "e", "forceescape" -> {
                new Args(name, args, kwargs);
                yield v instanceof Markup && !name.equals("forceescape") ? v : new Markup(Markup.escape(Py.str(v)));
            }
            case "trim" -> {
                Object chars = new Args(name, args, kwargs, "chars").get("chars", null);
                yield Strings.strip(Py.str(v), chars == null ? null : Py.str(chars));
            }
            case "lower" -> noArgs(name, args, kwargs, Members.lower(Py.str(v)));
            case "upper" -> noArgs(name, args, kwargs, Members.upper(Py.str(v)));
            case "capitalize" -> noArgs(name, args, kwargs, StringMethods.capitalize(Py.str(v)));
            case "title" -> noArgs(name, args, kwargs, title(Py.str(v)));
            case "wordcount" -> {
                new Args(name, args, kwargs);
                Matcher m = WORD.matcher(Py.str(v));
                long count = 0;
                while (m.find()) {
                    count++;
                }
                yield count;
            }
            case "replace" -> {
                Args a = new Args(name, args, kwargs, "old", "new", "count");
                List<Object> methodArgs = new ArrayList<>(List.of(Py.str(a.require("old")), Py.str(a.require("new"))));
                if (a.get("count", null) != null) {
                    methodArgs.add(a.get("count", null));
                }
                yield StringMethods.call(Py.str(v), "replace", methodArgs, Map.of());
            }
            case "center" -> Formatting.pad(Py.str(v), new Args(name, args, kwargs, "width").integer("width", 80), " ", '^');
            case "indent" -> indent(Py.str(v), new Args(name, args, kwargs, "width", "first", "blank"));
            case "truncate" -> truncate(Py.str(v), new Args(name, args, kwargs, "length", "killwords", "end", "leeway"));
            case "format" -> Formatting.percent(Py.str(v), kwargs.isEmpty() ? new PyTuple(args)
                    : new java.util.LinkedHashMap<Object, Object>(kwargs));
            case "join" -> {
                Args a = new Args(name, args, kwargs, "d", "attribute");
                List<Object> items = Py.iterate(v);
                if (a.get("attribute", null) != null) {
                    items = items.stream().map(attributeGetter(a.get("attribute", null), null)::get).toList();
                }
                String separator = a.string("d", "");
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < items.size(); i++) {
                    interpreter.tick();
                    if (i > 0) {
                        out.append(separator);
                    }
                    out.append(Py.str(items.get(i)));
                    Py.checkSize(out.length());
                }
                yield out.toString();
            }
            case "list" -> {
                new Args(name, args, kwargs);
                yield new ArrayList<>(Py.iterate(v));
            }
            case "first" -> {
                new Args(name, args, kwargs);
                List<Object> items = Py.iterate(v);
                yield items.isEmpty() ? Undefined.hint("No first item, sequence was empty.") : items.getFirst();
            }
            case "last" -> {
                new Args(name, args, kwargs);
                if (v instanceof PyIterator it) {
                    throw PyError.type("'" + it.kind() + "' object is not reversible");
                }
                List<Object> items = Py.iterate(v);
                yield items.isEmpty() ? Undefined.hint("No last item, sequence was empty.") : items.getLast();
            }
            case "reverse" -> {
                new Args(name, args, kwargs);
                if (Py.isString(v)) {
                    yield new StringBuilder(Py.str(v)).reverse().toString();
                }
                List<Object> items = new ArrayList<>(Py.iterate(v));
                java.util.Collections.reverse(items);
                yield new PyIterator(items, "list_reverseiterator");
            }
            case "items" -> {
                new Args(name, args, kwargs);
                if (v instanceof Undefined) {
                    yield new PyIterator(List.of(), "generator");
                }
                if (!(v instanceof Map<?, ?> map)) {
                    throw PyError.type("Can only get item pairs from a mapping.");
                }
                List<Object> items = new ArrayList<>();
                map.forEach((k, x) -> items.add(PyTuple.of(k, x)));
                yield new PyIterator(items, "generator");
            }
            case "dictsort" -> dictsort(v, new Args(name, args, kwargs, "case_sensitive", "by", "reverse"));
            case "sort" -> {
                Args a = new Args(name, args, kwargs, "reverse", "case_sensitive", "attribute");
                List<Object> items = new ArrayList<>(Py.iterate(v));
                Comparator<Object> order = keyOrder(a.bool("case_sensitive", false), a.get("attribute", null));
                items.sort(a.bool("reverse", false) ? order.reversed() : order);
                yield items;
            }
            case "unique" -> {
                Args a = new Args(name, args, kwargs, "case_sensitive", "attribute");
                AttributeGetter key = attributeGetter(a.get("attribute", null), null);
                boolean caseSensitive = a.bool("case_sensitive", false);
                List<Object> seen = new ArrayList<>();
                List<Object> out = new ArrayList<>();
                for (Object item : Py.iterate(v)) {
                    interpreter.tick();
                    Object k = foldCase(key.get(item), caseSensitive);
                    if (seen.stream().noneMatch(s -> Py.eq(s, k))) {
                        seen.add(k);
                        out.add(item);
                    }
                }
                yield new PyIterator(out, "generator");
            }
            case "min", "max" -> {
                Args a = new Args(name, args, kwargs, "case_sensitive", "attribute");
                List<Object> items = Py.iterate(v);
                if (items.isEmpty()) {
                    yield Undefined.hint("No aggregated item, sequence was empty.");
                }
                Comparator<Object> order = keyOrder(a.bool("case_sensitive", false), a.get("attribute", null));
                Object best = items.getFirst();
                for (Object item : items) {
                    int c = order.compare(item, best);
                    if (name.equals("min") ? c < 0 : c > 0) {
                        best = item;
                    }
                }
                yield best;
            }
            case "sum" -> {
                Args a = new Args(name, args, kwargs, "attribute", "start");
                AttributeGetter key = attributeGetter(a.get("attribute", null), null);
                Object total = a.get("start", 0L);
                for (Object item : Py.iterate(v)) {
                    total = Py.add(total, key.get(item));
                }
                yield total;
            }
            case "map" -> Py.truthy(v) ? map(interpreter, v, args, kwargs) : new PyIterator(List.of(), "generator");
            case "select", "reject" -> {
                List<Object> out = new ArrayList<>();
                List<Object> items = Py.truthy(v) ? Py.iterate(v) : List.of();
                String test = args.isEmpty() ? null : Py.str(args.getFirst());
                List<Object> testArgs = args.isEmpty() ? List.of() : args.subList(1, args.size());
                for (Object item : items) {
                    boolean ok = test == null ? Py.truthy(item) : interpreter.test(test, item, testArgs, kwargs);
                    if (ok == name.equals("select")) {
                        out.add(item);
                    }
                }
                yield new PyIterator(out, "generator");
            }
            case "selectattr", "rejectattr" -> {
                if (args.isEmpty()) {
                    throw PyError.type("Missing parameter for attribute name");
                }
                AttributeGetter attribute = attributeGetter(args.getFirst(), null);
                String test = args.size() > 1 ? Py.str(args.get(1)) : null;
                List<Object> testArgs = args.size() > 2 ? args.subList(2, args.size()) : List.of();
                List<Object> out = new ArrayList<>();
                for (Object item : Py.truthy(v) ? Py.iterate(v) : List.of()) {
                    Object value = attribute.get(item);
                    boolean ok = test == null ? Py.truthy(value) : interpreter.test(test, value, testArgs, kwargs);
                    if (ok == name.equals("selectattr")) {
                        out.add(item);
                    }
                }
                yield new PyIterator(out, "generator");
            }
            case "attr" -> Members.attribute(v, Py.str(new Args(name, args, kwargs, "name").require("name")));
            case "int" -> toInt(v, new Args(name, args, kwargs, "default", "base"));
            case "float" -> toFloat(v, new Args(name, args, kwargs, "default").get("default", 0.0));
            case "abs" -> {
                new Args(name, args, kwargs);
                if (v instanceof Double d) {
                    yield Math.abs(d);
                }
                if (!Py.isInt(v)) {
                    throw PyError.type("bad operand type for abs(): '" + Py.typeName(v) + "'");
                }
                yield Py.normalize(Py.toBig(v).abs());
            }
            case "round" -> {
                Args a = new Args(name, args, kwargs, "precision", "method");
                int precision = (int) a.integer("precision", 0);
                String method = a.string("method", "common");
                double x = Py.toDouble(v);
                yield switch (method) {
                    case "common" -> Py.round(x, precision);
                    case "ceil" -> Math.ceil(x * Math.pow(10, precision)) / Math.pow(10, precision);
                    case "floor" -> Math.floor(x * Math.pow(10, precision)) / Math.pow(10, precision);
                    default -> throw new PyError("FilterArgumentError", "method must be common, ceil or floor");
                };
            }
            case "tojson" -> {
                Args a = new Args(name, args, kwargs, "ensure_ascii", "indent", "separators", "sort_keys");
                yield Json.dumps(v, a.bool("ensure_ascii", false), a.get("indent", null), a.get("separators", null),
                        a.bool("sort_keys", false));
            }
            default -> throw new IllegalStateException(name);
        };
    }

    private static Object noArgs(String name, List<Object> args, Map<String, Object> kwargs, Object result) {
        new Args(name, args, kwargs);
        return result;
    }

    /** Jinja's {@code title} filter: upper-cases the first letter after a dash, space or opening bracket. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int last = 0;
        while (m.find()) {
            titleWord(s.substring(last, m.start()), out);
            titleWord(m.group(), out);
            last = m.end();
        }
        titleWord(s.substring(last), out);
        return out.toString();
    }

    private static void titleWord(String word, StringBuilder out) {
        if (!word.isEmpty()) {
            int first = word.codePointAt(0);
            int n = Character.charCount(first);
            out.append(Members.upper(word.substring(0, n))).append(Members.lower(word.substring(n)));
        }
    }

    private static String indent(String s, Args a) {
        Object width = a.get("width", 4L);
        String indentation = Py.isString(width) ? Py.str(width) : " ".repeat((int) Math.max(0, Py.toLong(width)));
        List<Object> lines = StringMethods.splitLines(s + "\n", false);
        StringBuilder out = new StringBuilder();
        if (a.bool("blank", false)) {
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    out.append('\n').append(indentation);
                }
                out.append((String) lines.get(i));
            }
        } else {
            out.append((String) lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = (String) lines.get(i);
                out.append('\n');
                if (!line.isEmpty()) {
                    out.append(indentation).append(line);
                }
            }
        }
        return a.bool("first", false) ? indentation + out : out.toString();
    }

    private static String truncate(String s, Args a) {
        long length = a.integer("length", 255);
        boolean killWords = a.bool("killwords", false);
        String end = a.string("end", "...");
        long leeway = a.get("leeway", null) == null ? 5 : a.integer("leeway", 5);
        int n = Py.codePointLength(s);
        if (n <= length + leeway) {
            return s;
        }
        int keep = (int) Math.max(0, length - Py.codePointLength(end));
        String head = s.substring(0, s.offsetByCodePoints(0, Math.min(keep, n)));
        if (killWords) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space >= 0 ? head.substring(0, space) : head) + end;
    }

    private static Object dictsort(Object v, Args a) {
        if (!(v instanceof Map<?, ?> map)) {
            throw PyError.type("dictsort expects a mapping, got " + Py.typeName(v));
        }
        String by = a.string("by", "key");
        int position = switch (by) {
            case "key" -> 0;
            case "value" -> 1;
            default -> throw new PyError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        };
        boolean caseSensitive = a.bool("case_sensitive", false);
        List<Object> items = new ArrayList<>();
        map.forEach((k, x) -> items.add(PyTuple.of(k, x)));
        Comparator<Object> order = (x, y) -> Py.compare(
                foldCase(((PyTuple) x).items().get(position), caseSensitive),
                foldCase(((PyTuple) y).items().get(position), caseSensitive), "<");
        items.sort(a.bool("reverse", false) ? order.reversed() : order);
        return items;
    }

    private static Object foldCase(Object value, boolean caseSensitive) {
        return !caseSensitive && Py.isString(value) ? Members.lower(Py.str(value)) : value;
    }

    private static Comparator<Object> keyOrder(boolean caseSensitive, Object attribute) {
        AttributeGetter key = attributeGetter(attribute, null);
        return (x, y) -> Py.compare(foldCase(key.get(x), caseSensitive), foldCase(key.get(y), caseSensitive), "<");
    }

    @FunctionalInterface
    interface AttributeGetter {
        Object get(Object item);
    }

    /**
     * Jinja's {@code make_attrgetter}: "a.b.0" looks up item-first along the path; with no attribute, the item.
     * {@code fallback}, if not null, replaces undefined results.
     */
    private static AttributeGetter attributeGetter(Object attribute, Object fallback) {
        if (attribute == null) {
            return item -> item;
        }
        List<Object> path = new ArrayList<>();
        if (Py.isString(attribute)) {
            for (String part : Py.str(attribute).split("\\.", -1)) {
                path.add(!part.isEmpty() && part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part)
                        : part);
            }
        } else {
            path.add(attribute);
        }
        return item -> {
            Object value = item;
            for (Object part : path) {
                value = Members.item(value, part);
            }
            return fallback != null && value instanceof Undefined ? fallback : value;
        };
    }

    private static Object map(Interpreter interpreter, Object v, List<Object> args, Map<String, Object> kwargs) {
        List<Object> out = new ArrayList<>();
        if (args.isEmpty() && kwargs.containsKey("attribute")) {
            Map<String, Object> rest = new java.util.HashMap<>(kwargs);
            Object attribute = rest.remove("attribute");
            Object fallback = rest.remove("default");
            if (!rest.isEmpty()) {
                throw new PyError("FilterArgumentError", "Unexpected keyword argument "
                        + Py.repr(rest.keySet().iterator().next()));
            }
            AttributeGetter getter = attributeGetter(attribute, fallback);
            for (Object item : Py.iterate(v)) {
                out.add(getter.get(item));
            }
        } else {
            if (args.isEmpty()) {
                throw new PyError("FilterArgumentError", "map requires a filter argument");
            }
            String filter = Py.str(args.getFirst());
            List<Object> filterArgs = args.subList(1, args.size());
            for (Object item : Py.iterate(v)) {
                out.add(interpreter.filter(filter, item, filterArgs, kwargs));
            }
        }
        return new PyIterator(out, "generator");
    }

    private static Object toInt(Object v, Args a) {
        Object fallback = a.get("default", 0L);
        long base = a.integer("base", 10);
        try {
            if (Py.isString(v)) {
                String text = Py.str(v).strip().replace("_", "");
                try {
                    return Py.normalize(new java.math.BigInteger(text.startsWith("+") ? text.substring(1) : text,
                            (int) base));
                } catch (NumberFormatException e) {
                    return Py.normalize(new java.math.BigDecimal(Double.parseDouble(text)).toBigInteger());
                }
            }
            if (v instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    return fallback;
                }
                return Py.normalize(new java.math.BigDecimal(d).toBigInteger());
            }
            if (Py.isInt(v)) {
                return Py.normalize(Py.toBig(v));
            }
            return fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Object toFloat(Object v, Object fallback) {
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        if (Py.isString(v)) {
            String text = Py.str(v).strip().toLowerCase(java.util.Locale.ROOT);
            return switch (text) {
                case "nan", "+nan", "-nan" -> Double.NaN;
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        if (text.endsWith("d") || text.endsWith("f") || text.startsWith("0x")) {
                            yield fallback;
                        }
                        yield Double.parseDouble(text.replace("_", ""));
                    } catch (NumberFormatException e) {
                        yield fallback;
                    }
                }
            };
        }
        return fallback;
    }
}
