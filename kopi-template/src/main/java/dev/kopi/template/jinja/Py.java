package dev.kopi.template.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics over plain Java values: {@code null} is None, {@link Boolean}, {@link Long} or
 * {@link BigInteger} are int, {@link Double} is float, {@link String} or {@link Markup} are str, {@link List} is
 * list, {@link PyTuple} is tuple, {@link Map} is dict. Truthiness, {@code str()}, {@code repr()}, equality,
 * ordering and arithmetic follow CPython, because chat templates print these values into prompts.
 */
public final class Py {
    private Py() {}

    /** Upper bound on the length of any string or list a template builds; guards against memory exhaustion. */
    static final long MAX_SIZE = 50_000_000;

    // ---- conversion of host values ------------------------------------------------------------------------

    /** Converts Java values (Integer, Float, arrays, any Map or Collection) into the representation above. */
    public static Object fromJava(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case BigInteger b -> normalize(b);
            case Double d -> d;
            case Float f -> Double.parseDouble(Float.toString(f));
            case BigDecimal d -> d.doubleValue();
            case Character c -> String.valueOf(c);
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(fromJava(k), fromJava(v)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                for (Object o : c) {
                    copy.add(fromJava(o));
                }
                yield copy;
            }
            case Object[] array -> fromJava(List.of(array).stream().map(x -> x).toList());
            default -> value;
        };
    }

    static Object normalize(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    // ---- type predicates -----------------------------------------------------------------------------------

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof BigInteger || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return isInt(v) || v instanceof Double;
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof Markup;
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Markup m -> "Markup";
            case List<?> l -> "list";
            case PyTuple t -> "tuple";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopState l -> "LoopContext";
            case PyIterator it -> it.kind();
            case PyCallable c -> "function";
            default -> v.getClass().getSimpleName();
        };
    }

    /** Jinja's {@code object_type_repr}: "dict object", "None", ... */
    static String objectTypeRepr(Object v) {
        if (v == null) {
            return "None";
        }
        String name = typeName(v);
        return switch (name) {
            case "Markup" -> "markupsafe.Markup object";
            case "Undefined" -> "jinja2.runtime.Undefined object";
            case "Namespace" -> "jinja2.utils.Namespace object";
            case "LoopContext" -> "jinja2.runtime.LoopContext object";
            default -> name + " object";
        };
    }

    // ---- truthiness, str, repr --------------------------------------------------------------------------------

    public static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case BigInteger b -> b.signum() != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Markup m -> !m.text().isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    /** Python's {@code str(value)}, with Jinja's undefined printing as the empty string. */
    public static String str(Object v) {
        return switch (v) {
            case String s -> s;
            case Markup m -> m.text();
            case Undefined u -> "";
            case null, default -> repr(v);
        };
    }

    /** Python's {@code repr(value)}. */
    public static String repr(Object v) {
        StringBuilder out = new StringBuilder();
        repr(v, out, 0);
        return out.toString();
    }

    private static void repr(Object v, StringBuilder out, int depth) {
        if (depth > 200) {
            throw new PyError("RecursionError", "maximum recursion depth exceeded while getting the repr of an object");
        }
        switch (v) {
            case null -> out.append("None");
            case Boolean b -> out.append(b ? "True" : "False");
            case Long l -> out.append(l);
            case BigInteger b -> out.append(b);
            case Double d -> out.append(floatRepr(d));
            case String s -> out.append(stringRepr(s));
            case Markup m -> out.append("Markup(").append(stringRepr(m.text())).append(')');
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    repr(list.get(i), out, depth + 1);
                }
                out.append(']');
            }
            case PyTuple t -> {
                out.append('(');
                for (int i = 0; i < t.items().size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    repr(t.items().get(i), out, depth + 1);
                }
                out.append(t.items().size() == 1 ? ",)" : ")");
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    repr(e.getKey(), out, depth + 1);
                    out.append(": ");
                    repr(e.getValue(), out, depth + 1);
                }
                out.append('}');
            }
            case Undefined u -> out.append("Undefined");
            case Namespace ns -> {
                out.append("<Namespace ");
                repr(ns.attributes, out, depth + 1);
                out.append('>');
            }
            case PyIterator it -> out.append('<').append(it.kind()).append(" object>");
            case PyCallable c -> out.append("<function>");
            default -> out.append(v);
        }
    }

    /** CPython's repr of a str: single quotes unless the text holds a single quote and no double quote. */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        return out.append(quote).toString();
    }

    /** CPython's {@code str.isprintable} for one code point: not in categories C*, Z* (except the space). */
    static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** CPython's {@code repr(float)}: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Java's Double.toString yields the shortest digits that round-trip, as CPython's repr does.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale(); // decimal exponent of the first digit
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (exponent >= -4 && exponent < 16) {
            if (exponent < 0) {
                out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            } else {
                out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            out.append(abs < 10 ? "0" : "").append(abs);
        }
        return out.toString();
    }

    // ---- equality and ordering -------------------------------------------------------------------------------

    public static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        if (isString(a) && isString(b)) {
            return str(a).equals(str(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return sequenceEq(x, y);
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            return sequenceEq(x.items(), y.items());
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                Object key = findKey(y, e.getKey());
                if (key == MISSING || !eq(e.getValue(), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        return a.equals(b);
    }

    private static boolean sequenceEq(List<?> x, List<?> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!eq(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    static final Object MISSING = new Object();

    /** The key of {@code map} equal to {@code key} in Python's sense (1 == 1.0 == True), or {@link #MISSING}. */
    static Object findKey(Map<?, ?> map, Object key) {
        if (key == null || map.containsKey(key)) {
            return map.containsKey(key) ? key : MISSING;
        }
        if (isNumber(key) || key instanceof Markup) {
            for (Object k : map.keySet()) {
                if (eq(k, key)) {
                    return k;
                }
            }
        }
        return MISSING;
    }

    static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            double x = toDouble(a);
            double y = toDouble(b);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return 2; // unordered: never equal, never less or greater
            }
            return Double.compare(x == 0 ? 0.0 : x, y == 0 ? 0.0 : y);
        }
        return toBig(a).compareTo(toBig(b));
    }

    /** Python's ordering ({@code <}); raises TypeError for types Python cannot order. */
    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b);
        }
        if (isString(a) && isString(b)) {
            return compareCodePoints(str(a), str(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return compareSequences(x, y, op);
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            return compareSequences(x.items(), y.items(), op);
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        throw PyError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static int compareSequences(List<?> x, List<?> y, String op) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (!eq(x.get(i), y.get(i))) {
                return compare(x.get(i), y.get(i), op);
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    // ---- numbers ------------------------------------------------------------------------------------------------

    static double toDouble(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case BigInteger b -> b.doubleValue();
            case Double d -> d;
            case null, default -> throw PyError.type("must be real number, not " + typeName(v));
        };
    }

    static BigInteger toBig(Object v) {
        return switch (v) {
            case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            case null, default -> throw PyError.type("an integer is required, not " + typeName(v));
        };
    }

    /** An int as a Java long, for indices and counts; rejects non-integers as Python does. */
    static long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : (b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        if (v instanceof Undefined u) {
            throw u.error();
        }
        throw PyError.type("'" + typeName(v) + "' object cannot be interpreted as an integer");
    }

    static Object add(Object a, Object b) {
        undefinedOperand(a, b);
        if (isInt(a) && isInt(b)) {
            return normalize(toBig(a).add(toBig(b)));
        }
        if (isNumber(a) && isNumber(b)) {
            return toDouble(a) + toDouble(b);
        }
        if (a instanceof Markup m && isString(b)) {
            return new Markup(m.text() + (b instanceof Markup n ? n.text() : Markup.escape((String) b)));
        }
        if (a instanceof String s && b instanceof Markup m) {
            return new Markup(Markup.escape(s) + m.text());
        }
        if (a instanceof String s && b instanceof String t) {
            checkSize((long) s.length() + t.length());
            return s + t;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            checkSize((long) x.size() + y.size());
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            List<Object> out = new ArrayList<>(x.items());
            out.addAll(y.items());
            return new PyTuple(out);
        }
        if (isString(a) || a instanceof List || a instanceof PyTuple) {
            throw PyError.type("can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to "
                    + typeName(a));
        }
        throw unsupported("+", a, b);
    }

    static Object arithmetic(String op, Object a, Object b) {
        undefinedOperand(a, b);
        return switch (op) {
            case "+" -> add(a, b);
            case "-" -> {
                if (isInt(a) && isInt(b)) {
                    yield normalize(toBig(a).subtract(toBig(b)));
                }
                requireNumbers(op, a, b);
                yield toDouble(a) - toDouble(b);
            }
            case "*" -> multiply(a, b);
            case "/" -> {
                requireNumbers(op, a, b);
                double y = toDouble(b);
                if (y == 0) {
                    throw new PyError("ZeroDivisionError", "division by zero");
                }
                yield toDouble(a) / y;
            }
            case "//" -> floorDivide(a, b);
            case "%" -> modulo(a, b);
            case "**" -> power(a, b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static void undefinedOperand(Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
    }

    private static void requireNumbers(String op, Object a, Object b) {
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported(op, a, b);
        }
    }

    private static PyError unsupported(String op, Object a, Object b) {
        return PyError.type("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static Object multiply(Object a, Object b) {
        if (isInt(a) && isInt(b)) {
            return normalize(toBig(a).multiply(toBig(b)));
        }
        if (isNumber(a) && isNumber(b)) {
            return toDouble(a) * toDouble(b);
        }
        if (isInt(b) && (isString(a) || a instanceof List)) {
            return repeat(a, toLong(b));
        }
        if (isInt(a) && (isString(b) || b instanceof List)) {
            return repeat(b, toLong(a));
        }
        if (isString(a) || a instanceof List) {
            throw PyError.type("can't multiply sequence by non-int of type '" + typeName(b) + "'");
        }
        throw unsupported("*", a, b);
    }

    private static Object repeat(Object sequence, long times) {
        times = Math.max(0, times);
        if (sequence instanceof List<?> list) {
            checkSize(list.size() * times);
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < times; i++) {
                out.addAll(list);
            }
            return out;
        }
        String s = str(sequence);
        checkSize(s.length() * times);
        return s.repeat((int) times);
    }

    static void checkSize(long size) {
        if (size > MAX_SIZE) {
            throw new PyError("MemoryError", "the template built a value of " + size
                    + " elements, more than the limit of " + MAX_SIZE);
        }
    }

    private static Object floorDivide(Object a, Object b) {
        requireNumbers("//", a, b);
        if (isInt(a) && isInt(b)) {
            BigInteger y = toBig(b);
            if (y.signum() == 0) {
                throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
            }
            BigInteger[] qr = toBig(a).divideAndRemainder(y);
            BigInteger q = qr[0];
            if (qr[1].signum() != 0 && qr[1].signum() != y.signum()) {
                q = q.subtract(BigInteger.ONE);
            }
            return normalize(q);
        }
        double y = toDouble(b);
        if (y == 0) {
            throw new PyError("ZeroDivisionError", "float floor division by zero");
        }
        return Math.floor(toDouble(a) / y);
    }

    private static Object modulo(Object a, Object b) {
        if (isString(a)) {
            return Formatting.percent(str(a), b);
        }
        requireNumbers("%", a, b);
        if (isInt(a) && isInt(b)) {
            BigInteger y = toBig(b);
            if (y.signum() == 0) {
                throw new PyError("ZeroDivisionError", "integer modulo by zero");
            }
            BigInteger r = toBig(a).mod(y.abs());
            if (y.signum() < 0 && r.signum() != 0) {
                r = r.add(y);
            }
            return normalize(r);
        }
        double x = toDouble(a);
        double y = toDouble(b);
        if (y == 0) {
            throw new PyError("ZeroDivisionError", "float modulo");
        }
        double r = x % y;
        if (r != 0 && (r < 0) != (y < 0)) {
            r += y;
        }
        return r;
    }

    private static Object power(Object a, Object b) {
        requireNumbers("**", a, b);
        if (isInt(a) && isInt(b) && toBig(b).signum() >= 0) {
            long exponent = toLong(b);
            BigInteger base = toBig(a);
            if (base.bitLength() * exponent > 1_000_000) {
                throw new PyError("MemoryError", "the template computed an integer power too large to hold");
            }
            return normalize(base.pow((int) exponent));
        }
        return Math.pow(toDouble(a), toDouble(b));
    }

    static Object negate(Object v) {
        return switch (v) {
            case Boolean b -> b ? -1L : 0L;
            case Long l -> l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l);
            case BigInteger b -> normalize(b.negate());
            case Double d -> -d;
            case Undefined u -> throw u.error();
            case null, default -> throw PyError.type("bad operand type for unary -: '" + typeName(v) + "'");
        };
    }

    static Object plus(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1L : 0L;
            case Long l -> l;
            case BigInteger b -> b;
            case Double d -> d;
            case Undefined u -> throw u.error();
            case null, default -> throw PyError.type("bad operand type for unary +: '" + typeName(v) + "'");
        };
    }

    /** Python's {@code round(x, n)} with banker's rounding on the exact binary value. */
    static double round(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    // ---- containers ---------------------------------------------------------------------------------------------

    /** The items of an iterable, as Python's {@code iter()} would yield them. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> new ArrayList<>(l);
            case PyTuple t -> t.items();
            case PyIterator it -> it.items();
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> characters(s);
            case Markup m -> characters(m.text());
            case Undefined u -> List.of();
            case Namespace ns -> throw PyError.type("'Namespace' object is not iterable");
            case null, default -> throw PyError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    static boolean isIterable(Object v) {
        return v instanceof List || v instanceof PyTuple || v instanceof PyIterator || v instanceof Map
                || isString(v) || v instanceof Undefined;
    }

    static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            out.add(new String(Character.toChars(cp)));
            i += Character.charCount(cp);
        }
        return out;
    }

    static int codePointLength(String s) {
        return s.codePointCount(0, s.length());
    }

    static long len(Object v) {
        return switch (v) {
            case String s -> codePointLength(s);
            case Markup m -> codePointLength(m.text());
            case Collection<?> c -> c.size();
            case PyTuple t -> t.items().size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case null, default -> throw PyError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /** Python's {@code needle in haystack}. */
    static boolean contains(Object haystack, Object needle) {
        return switch (haystack) {
            case String s -> {
                if (!isString(needle)) {
                    throw PyError.type("'in <string>' requires string as left operand, not " + typeName(needle));
                }
                yield s.contains(str(needle));
            }
            case Markup m -> contains(m.text(), needle);
            case Map<?, ?> m -> findKey(m, needle) != MISSING;
            case Undefined u -> false;
            case null, default -> {
                if (!isIterable(haystack)) {
                    throw PyError.type("argument of type '" + typeName(haystack) + "' is not iterable");
                }
                for (Object item : iterate(haystack)) {
                    if (eq(item, needle)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    /** A Python index (negative counts from the end), or -1 when out of range. */
    static int index(long i, int size) {
        long at = i < 0 ? i + size : i;
        return at < 0 || at >= size ? -1 : (int) at;
    }

    /** Python's slice {@code [start:stop:step]} over a list or a string. */
    static Object slice(Object v, Object start, Object stop, Object step) {
        long stepValue = step == null ? 1 : toLong(step);
        if (stepValue == 0) {
            throw PyError.value("slice step cannot be zero");
        }
        List<Object> items;
        if (isString(v)) {
            items = characters(str(v));
        } else if (v instanceof List<?> l) {
            items = new ArrayList<>(l);
        } else if (v instanceof PyTuple t) {
            items = t.items();
        } else if (v instanceof Undefined u) {
            throw u.error();
        } else {
            throw PyError.type("'" + typeName(v) + "' object is not subscriptable");
        }
        int n = items.size();
        long lo;
        long hi;
        if (stepValue > 0) {
            lo = start == null ? 0 : clampSliceBound(toLong(start), n, 0, n);
            hi = stop == null ? n : clampSliceBound(toLong(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clampSliceBound(toLong(start), n, -1, n - 1);
            hi = stop == null ? -1 : clampSliceBound(toLong(stop), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; stepValue > 0 ? i < hi : i > hi; i += stepValue) {
            out.add(items.get((int) i));
        }
        if (isString(v)) {
            StringBuilder s = new StringBuilder();
            out.forEach(c -> s.append((String) c));
            return s.toString();
        }
        return v instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long clampSliceBound(long i, int n, long lower, long upper) {
        if (i < 0) {
            i += n;
        }
        return Math.max(lower, Math.min(upper, i));
    }

    static List<Object> listOf(Iterator<?> it) {
        List<Object> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
