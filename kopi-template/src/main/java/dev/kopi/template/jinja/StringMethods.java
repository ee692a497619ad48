package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python's {@code str} methods, as templates call them ({@code content.strip()}, {@code name.split('.')}). */
final class StringMethods {
    private StringMethods() {}

    static Object call(String s, String name, List<Object> args, Map<String, Object> kwargs) {
        if (name.equals("format")) {
            return Formatting.format(s, args, kwargs);
        }
        return switch (name) {
            case "strip", "lstrip", "rstrip" -> {
                Args a = new Args(name, args, kwargs, "chars");
                Object chars = a.get("chars", null);
                String set = chars == null ? null : requireString(name, chars);
                yield switch (name) {
                    case "strip" -> Strings.strip(s, set);
                    case "lstrip" -> Strings.lstrip(s, set);
                    default -> Strings.rstrip(s, set);
                };
            }
            case "split", "rsplit" -> {
                Args a = new Args(name, args, kwargs, "sep", "maxsplit");
                Object sep = a.get("sep", null);
                long max = a.integer("maxsplit", -1);
                yield sep == null ? splitWhitespace(s, max, name.equals("rsplit"))
                        : split(s, requireString(name, sep), max, name.equals("rsplit"));
            }
            case "splitlines" -> splitLines(s, new Args(name, args, kwargs, "keepends").bool("keepends", false));
            case "startswith", "endswith" -> {
                Args a = new Args(name, args, kwargs, "prefix", "start", "end");
                Object prefix = a.require("prefix");
                String region = region(s, a);
                List<Object> candidates = prefix instanceof PyTuple t ? t.items() : List.of(prefix);
                boolean found = false;
                for (Object candidate : candidates) {
                    if (!Py.isString(candidate)) {
                        throw PyError.type(name + " first arg must be str or a tuple of str, not "
                                + Py.typeName(candidate));
                    }
                    String c = Py.str(candidate);
                    found |= name.equals("startswith") ? region.startsWith(c) : region.endsWith(c);
                }
                yield found;
            }
            case "replace" -> {
                Args a = new Args(name, args, kwargs, "old", "new", "count");
                yield replace(s, requireString(name, a.require("old")), requireString(name, a.require("new")),
                        a.integer("count", -1));
            }
            case "upper" -> noArgs(name, args, kwargs, Members.upper(s));
            case "lower", "casefold" -> noArgs(name, args, kwargs, Members.lower(s));
            case "title" -> noArgs(name, args, kwargs, title(s));
            case "capitalize" -> noArgs(name, args, kwargs, capitalize(s));
            case "swapcase" -> noArgs(name, args, kwargs, swapCase(s));
            case "find", "rfind", "index", "rindex", "count" -> search(s, name, args, kwargs);
            case "join" -> {
                Args a = new Args(name, args, kwargs, "iterable");
                StringBuilder out = new StringBuilder();
                List<Object> items = Py.iterate(a.require("iterable"));
                for (int i = 0; i < items.size(); i++) {
                    if (!Py.isString(items.get(i))) {
                        throw PyError.type("sequence item " + i + ": expected str instance, "
                                + Py.typeName(items.get(i)) + " found");
                    }
                    if (i > 0) {
                        out.append(s);
                    }
                    out.append(Py.str(items.get(i)));
                }
                yield out.toString();
            }
            case "isdigit", "isdecimal", "isnumeric" -> noArgs(name, args, kwargs,
                    !s.isEmpty() && s.codePoints().allMatch(Character::isDigit));
            case "isalpha" -> noArgs(name, args, kwargs, !s.isEmpty() && s.codePoints().allMatch(Character::isLetter));
            case "isalnum" -> noArgs(name, args, kwargs,
                    !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit));
            case "isspace" -> noArgs(name, args, kwargs, !s.isEmpty() && Strings.isAllWhitespace(s, 0));
            case "isupper" -> noArgs(name, args, kwargs, hasCased(s) && s.equals(Members.upper(s)));
            case "islower" -> noArgs(name, args, kwargs, hasCased(s) && s.equals(Members.lower(s)));
            case "istitle" -> noArgs(name, args, kwargs, hasCased(s) && s.equals(title(s)));
            case "zfill" -> {
                long width = new Args(name, args, kwargs, "width").integer("width", 0);
                int length = Py.codePointLength(s);
                if (width <= length) {
                    yield s;
                }
                String pad = "0".repeat((int) (width - length));
                yield !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')
                        ? s.charAt(0) + pad + s.substring(1) : pad + s;
            }
            case "center", "ljust", "rjust" -> {
                Args a = new Args(name, args, kwargs, "width", "fillchar");
                long width = a.integer("width", 0);
                String fill = a.string("fillchar", " ");
                yield Formatting.pad(s, width, fill, name.equals("ljust") ? '<' : name.equals("rjust") ? '>' : '^');
            }
            case "partition", "rpartition" -> {
                String sep = requireString(name, new Args(name, args, kwargs, "sep").require("sep"));
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    yield name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                }
                yield PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "removeprefix" -> {
                String prefix = requireString(name, new Args(name, args, kwargs, "prefix").require("prefix"));
                yield s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            }
            case "removesuffix" -> {
                String suffix = requireString(name, new Args(name, args, kwargs, "suffix").require("suffix"));
                yield !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "expandtabs" -> s.replace("\t", " ".repeat((int) new Args(name, args, kwargs, "tabsize")
                    .integer("tabsize", 8)));
            default -> throw new PyError("AttributeError", "'str' object has no attribute '" + name + "'");
        };
    }

    private static Object noArgs(String name, List<Object> args, Map<String, Object> kwargs, Object result) {
        new Args(name, args, kwargs);
        return result;
    }

    private static String requireString(String method, Object v) {
        if (!Py.isString(v)) {
            throw PyError.type(method + "() argument must be str, not " + Py.typeName(v));
        }
        return Py.str(v);
    }

    /** The part of {@code s} between the optional {@code start} and {@code end} arguments (Python indices). */
    private static String region(String s, Args a) {
        Object start = a.get("start", null);
        Object end = a.get("end", null);
        if (start == null && end == null) {
            return s;
        }
        return (String) Py.slice(s, start, end, null);
    }

    private static Object search(String s, String name, List<Object> args, Map<String, Object> kwargs) {
        Args a = new Args(name, args, kwargs, "sub", "start", "end");
        String sub = requireString(name, a.require("sub"));
        long start = a.get("start", null) == null ? 0 : a.integer("start", 0);
        List<Object> chars = Py.characters(s);
        int n = chars.size();
        long from = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        String region = region(s, a);
        if (name.equals("count")) {
            if (sub.isEmpty()) {
                return (long) Py.codePointLength(region) + 1;
            }
            long count = 0;
            for (int i = region.indexOf(sub); i >= 0; i = region.indexOf(sub, i + sub.length())) {
                count++;
            }
            return count;
        }
        int at = name.startsWith("r") ? region.lastIndexOf(sub) : region.indexOf(sub);
        if (at < 0) {
            if (name.endsWith("index")) {
                throw PyError.value("substring not found");
            }
            return -1L;
        }
        return from + region.codePointCount(0, at);
    }

    private static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            count = Long.MAX_VALUE;
        }
        StringBuilder out = new StringBuilder();
        if (old.isEmpty()) {
            List<Object> chars = Py.characters(s);
            long done = 0;
            for (Object c : chars) {
                if (done++ < count) {
                    out.append(replacement);
                }
                out.append((String) c);
            }
            if (done < count) {
                out.append(replacement);
            }
            return out.toString();
        }
        int from = 0;
        long done = 0;
        for (int at = s.indexOf(old); at >= 0 && done < count; at = s.indexOf(old, from)) {
            out.append(s, from, at).append(replacement);
            Py.checkSize(out.length());
            from = at + old.length();
            done++;
        }
        return out.append(s, from, s.length()).toString();
    }

    static List<Object> split(String s, String sep, long max, boolean fromRight) {
        if (sep.isEmpty()) {
            throw PyError.value("empty separator");
        }
        List<Object> parts = new ArrayList<>();
        if (!fromRight) {
            int from = 0;
            for (int at = s.indexOf(sep); at >= 0 && (max < 0 || parts.size() < max); at = s.indexOf(sep, from)) {
                parts.add(s.substring(from, at));
                from = at + sep.length();
            }
            parts.add(s.substring(from));
            return parts;
        }
        int to = s.length();
        while (max < 0 || parts.size() < max) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) {
                break;
            }
            parts.addFirst(s.substring(at + sep.length(), to));
            to = at;
        }
        parts.addFirst(s.substring(0, to));
        return parts;
    }

    private static List<Object> splitWhitespace(String s, long max, boolean fromRight) {
        List<Object> parts = new ArrayList<>();
        if (!fromRight) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Strings.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (max >= 0 && parts.size() >= max) {
                    parts.add(Strings.rstrip(s.substring(i), null));
                    break;
                }
                int start = i;
                while (i < n && !Strings.isWhitespace(s.charAt(i))) {
                    i++;
                }
                parts.add(s.substring(start, i));
            }
            return parts;
        }
        int i = s.length();
        while (true) {
            while (i > 0 && Strings.isWhitespace(s.charAt(i - 1))) {
                i--;
            }
            if (i <= 0) {
                break;
            }
            if (max >= 0 && parts.size() >= max) {
                parts.addFirst(Strings.lstrip(s.substring(0, i), null));
                break;
            }
            int end = i;
            while (i > 0 && !Strings.isWhitespace(s.charAt(i - 1))) {
                i--;
            }
            parts.addFirst(s.substring(i, end));
        }
        return parts;
    }

    static List<Object> splitLines(String s, boolean keepEnds) {
        List<Object> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int breakLength = 0;
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                breakLength = 2;
            } else if ("\n\r\u000b\f\u001c\u001d\u001e\u0085\u2028\u2029".indexOf(c) >= 0) {
                breakLength = 1;
            }
            if (breakLength == 0) {
                i++;
                continue;
            }
            lines.add(s.substring(start, keepEnds ? i + breakLength : i));
            i += breakLength;
            start = i;
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(StringMethods::isCased);
    }

    /** Python's {@code str.title}: a cased character after an uncased one starts a word. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            String c = new String(Character.toChars(cp));
            out.append(previousCased ? Members.lower(c) : titleCase(cp));
            previousCased = isCased(cp);
        }
        return out.toString();
    }

    private static String titleCase(int cp) {
        int title = Character.toTitleCase(cp);
        if (title != cp || !Character.isLowerCase(cp)) {
            return new String(Character.toChars(title));
        }
        return Members.upper(new String(Character.toChars(cp)));
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return titleCase(first) + Members.lower(s.substring(Character.charCount(first)));
    }

    private static String swapCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            out.append(Character.isUpperCase(cp) ? Members.lower(c) : Character.isLowerCase(cp) ? Members.upper(c) : c);
        });
        return out.toString();
    }
}
