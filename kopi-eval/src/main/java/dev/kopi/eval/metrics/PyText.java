package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python's string behaviour, which SEA-HELM's scores depend on: {@code str.split()} on Unicode whitespace,
 * {@code string.punctuation}, {@code str.strip(chars)} and {@code len()} in code points.
 */
public final class PyText {
    /** Python's {@code string.punctuation}: the ASCII punctuation characters. */
    public static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private PyText() {}

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Python's {@code str.split()}: runs of whitespace separate fields; no empty fields. */
    public static List<String> split(String text) {
        List<String> fields = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    fields.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            fields.add(text.substring(start));
        }
        return fields;
    }

    /** Python's {@code " ".join(s.split())}. */
    public static String collapseSpaces(String text) {
        return String.join(" ", split(text));
    }

    /** Python's {@code str.strip(chars)}. */
    public static String strip(String text, String chars) {
        int start = 0;
        int end = text.length();
        while (start < end && chars.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.strip()}. */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.lower()} (locale-independent). */
    public static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code len()}: the number of code points. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
