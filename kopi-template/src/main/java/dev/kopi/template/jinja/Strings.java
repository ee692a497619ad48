package dev.kopi.template.jinja;

/** Python's notion of whitespace and its strip family, which differ from Java's {@code String.strip}. */
final class Strings {
    private Strings() {}

    /** Python's {@code str.isspace} for one UTF-16 unit (all whitespace in the BMP). */
    static boolean isWhitespace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000b', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0',
                 '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    static boolean isAllWhitespace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean strippable(String s, int at, String chars) {
        char c = s.charAt(at);
        return chars == null ? isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    /** {@code s.lstrip(chars)}; {@code chars == null} strips whitespace. */
    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strippable(s, i, chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && strippable(s, i - 1, chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    static String strip(String s, String chars) {
        return lstrip(rstrip(s, chars), chars);
    }
}
