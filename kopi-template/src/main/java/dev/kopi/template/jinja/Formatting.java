package dev.kopi.template.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Python's two string formatting languages: {@code "%s" % value} and {@code "{}".format(value)}, for the
 * conversions templates use (strings, integers, fixed-point floats, repr, width, alignment and padding).
 */
final class Formatting {
    private Formatting() {}

    /** {@code format % values}: a tuple supplies positional values, a dict named ones. */
    static String percent(String format, Object values) {
        List<Object> positional = values instanceof PyTuple t ? t.items() : java.util.Collections.singletonList(values);
        Map<?, ?> named = values instanceof Map<?, ?> m ? m : null;
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                throw PyError.value("incomplete format");
            }
            Object value = null;
            boolean hasValue = false;
            if (format.charAt(i) == '(') {
                int close = format.indexOf(')', i);
                if (close < 0 || named == null) {
                    throw PyError.type("format requires a mapping");
                }
                String key = format.substring(i + 1, close);
                Object found = Py.findKey(named, key);
                if (found == Py.MISSING) {
                    throw new PyError("KeyError", Py.repr(key));
                }
                value = named.get(found);
                hasValue = true;
                i = close + 1;
            }
            int specStart = i;
            while (i < format.length() && "-+ #0123456789.".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            if (i >= format.length()) {
                throw PyError.value("incomplete format");
            }
            String flags = format.substring(specStart, i);
            char conversion = format.charAt(i++);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (!hasValue) {
                if (next >= positional.size()) {
                    throw PyError.type("not enough arguments for format string");
                }
                value = positional.get(next++);
            }
            boolean left = flags.contains("-");
            boolean zero = flags.contains("0") && !left;
            String numbers = flags.replaceAll("[-+ #]", "");
            if (zero && numbers.startsWith("0")) {
                numbers = numbers.substring(1);
            }
            String[] parts = numbers.split("\\.", -1);
            long width = parts[0].isEmpty() ? 0 : Long.parseLong(parts[0]);
            Integer precision = parts.length > 1 ? (parts[1].isEmpty() ? 0 : Integer.parseInt(parts[1])) : null;
            String text = switch (conversion) {
                case 's' -> precision == null ? Py.str(value) : truncate(Py.str(value), precision);
                case 'r', 'a' -> Py.repr(value);
                case 'd', 'i', 'u' -> integerText(value, conversion);
                case 'f', 'F' -> fixed(Py.toDouble(value), precision == null ? 6 : precision);
                case 'x' -> Py.toBig(value).toString(16);
                case 'X' -> Members.upper(Py.toBig(value).toString(16));
                default -> throw PyError.value("unsupported format character '" + conversion + "'");
            };
            if (flags.contains("+") && "dfiuF".indexOf(conversion) >= 0 && !text.startsWith("-")) {
                text = "+" + text;
            }
            out.append(pad(text, width, zero && conversion != 's' ? "0" : " ", left ? '<' : zero ? '=' : '>'));
        }
        if (named == null && next < positional.size()) {
            throw PyError.type("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static String integerText(Object value, char conversion) {
        if (value instanceof Double d) {
            return new BigDecimal(d).setScale(0, RoundingMode.DOWN).toBigInteger().toString();
        }
        if (!Py.isInt(value)) {
            throw PyError.type("%" + conversion + " format: a real number is required, not " + Py.typeName(value));
        }
        return Py.toBig(value).toString();
    }

    private static String truncate(String s, int codePoints) {
        return Py.codePointLength(s) <= codePoints ? s : s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    static String fixed(double d, int precision) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Py.floatRepr(d);
        }
        return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Pads {@code s} to {@code width} code points; align is one of {@code < > ^ =}. */
    static String pad(String s, long width, String fill, char align) {
        int length = Py.codePointLength(s);
        if (width <= length) {
            return s;
        }
        Py.checkSize(width);
        int missing = (int) (width - length);
        return switch (align) {
            case '<' -> s + fill.repeat(missing);
            case '^' -> fill.repeat(missing / 2) + s + fill.repeat(missing - missing / 2);
            case '=' -> !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')
                    ? s.charAt(0) + fill.repeat(missing) + s.substring(1) : fill.repeat(missing) + s;
            default -> fill.repeat(missing) + s;
        };
    }

    /** {@code format.format(*args, **kwargs)}: replacement fields with indices, names, attributes and specs. */
    static String format(String format, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int automatic = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '}' ) {
                if (i + 1 < format.length() && format.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw PyError.value("Single '}' encountered in format string");
            }
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
                continue;
            }
            int close = format.indexOf('}', i);
            if (close < 0) {
                throw PyError.value("Single '{' encountered in format string");
            }
            String field = format.substring(i + 1, close);
            i = close + 1;
            String spec = "";
            int colon = field.indexOf(':');
            if (colon >= 0) {
                spec = field.substring(colon + 1);
                field = field.substring(0, colon);
            }
            char conversion = 0;
            int bang = field.indexOf('!');
            if (bang >= 0) {
                conversion = field.length() > bang + 1 ? field.charAt(bang + 1) : 0;
                field = field.substring(0, bang);
            }
            int end = 0;
            while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') {
                end++;
            }
            String head = field.substring(0, end);
            Object value;
            if (head.isEmpty() || head.chars().allMatch(Character::isDigit)) {
                int index = head.isEmpty() ? automatic++ : Integer.parseInt(head);
                if (index >= args.size()) {
                    throw new PyError("IndexError", "Replacement index " + index + " out of range for positional args tuple");
                }
                value = args.get(index);
            } else {
                if (!kwargs.containsKey(head)) {
                    throw new PyError("KeyError", Py.repr(head));
                }
                value = kwargs.get(head);
            }
            value = accessors(value, field.substring(end));
            if (conversion == 'r' || conversion == 'a') {
                value = Py.repr(value);
            } else if (conversion == 's') {
                value = Py.str(value);
            }
            out.append(applySpec(value, spec));
        }
        return out.toString();
    }

    private static Object accessors(Object value, String chain) {
        int i = 0;
        while (i < chain.length()) {
            if (chain.charAt(i) == '.') {
                int end = i + 1;
                while (end < chain.length() && chain.charAt(end) != '.' && chain.charAt(end) != '[') {
                    end++;
                }
                value = Members.attribute(value, chain.substring(i + 1, end));
                i = end;
            } else {
                int close = chain.indexOf(']', i);
                String key = chain.substring(i + 1, close);
                value = Members.item(value, key.chars().allMatch(Character::isDigit) && !key.isEmpty()
                        ? (Object) Long.parseLong(key) : key);
                i = close + 1;
            }
        }
        return value;
    }

    /** Python's format-spec mini-language: {@code [[fill]align][sign][0][width][,][.precision][type]}. */
    private static String applySpec(Object value, String spec) {
        if (spec.isEmpty()) {
            return Py.str(value);
        }
        int i = 0;
        String fill = " ";
        char align = 0;
        if (spec.length() >= 2 && "<>^=".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.substring(0, 1);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>^=".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        char sign = 0;
        if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
            sign = spec.charAt(i++);
        }
        if (i < spec.length() && spec.charAt(i) == '0') {
            if (align == 0) {
                fill = "0";
                align = '=';
            }
            i++;
        }
        int widthStart = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        long width = i > widthStart ? Long.parseLong(spec.substring(widthStart, i)) : 0;
        Integer precision = null;
        if (i < spec.length() && spec.charAt(i) == '.') {
            int start = ++i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            precision = Integer.parseInt(spec.substring(start, i));
        }
        char type = i < spec.length() ? spec.charAt(i) : 0;
        String text;
        boolean numeric = Py.isNumber(value) && !(value instanceof Boolean && type == 0);
        switch (type) {
            case 'd' -> text = Py.toBig(value).toString();
            case 'f', 'F' -> text = fixed(Py.toDouble(value), precision == null ? 6 : precision);
            case 'x' -> text = Py.toBig(value).toString(16);
            case 's', 0 -> {
                if (type == 's' && !Py.isString(value)) {
                    throw PyError.value("Unknown format code 's' for object of type '" + Py.typeName(value) + "'");
                }
                text = numeric && precision != null ? fixed(Py.toDouble(value), precision) : Py.str(value);
                if (!numeric && precision != null) {
                    text = truncate(text, precision);
                }
            }
            default -> throw PyError.value("Unknown format code '" + type + "' for object of type '"
                    + Py.typeName(value) + "'");
        }
        if (numeric && sign == '+' && !text.startsWith("-")) {
            text = "+" + text;
        } else if (numeric && sign == ' ' && !text.startsWith("-")) {
            text = " " + text;
        }
        if (align == 0) {
            align = numeric ? '>' : '<';
        }
        return pad(text, width, fill, align);
    }
}
