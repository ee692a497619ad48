package dev.kopi.eval.metrics;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.kopi.eval.config.EvalConfigException;

/**
 * Compiles a regular expression written for Python's {@code re} module (on {@code str}) into a Java pattern that
 * matches the same text. SEA-HELM builds patterns from dataset values (keywords, section titles) and the classes
 * differ: Python's {@code \w} is a letter, a number or {@code _} (no combining marks, so Thai or Tamil vowel signs
 * end a word), {@code \b} is the edge of such a run, {@code \s} is {@code str.isspace()}, {@code .} stops only at
 * {@code \n}, and a {@code {} that starts no quantifier is a literal brace.
 */
public final class PyRegex {
    private static final String WORD = "\\p{L}\\p{N}_";
    private static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
    private static final String BOUNDARY = "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=[" + WORD + "]))";
    private static final String NOT_BOUNDARY = "(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?![" + WORD + "]))";

    private PyRegex() {}

    /**
     * @param ignoreCase Python's {@code re.IGNORECASE} (Unicode case folding)
     * @param multiline  Python's {@code re.MULTILINE}
     */
    public static Pattern compile(String pythonRegex, boolean ignoreCase, boolean multiline) {
        int flags = Pattern.UNIX_LINES;
        if (ignoreCase) {
            flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        if (multiline) {
            flags |= Pattern.MULTILINE;
        }
        try {
            return Pattern.compile(translate(pythonRegex), flags);
        } catch (PatternSyntaxException e) {
            throw new EvalConfigException("'" + pythonRegex + "' is not a regular expression kopi can read: " + e.getDescription());
        }
    }

    /** The Java spelling of a Python pattern. */
    static String translate(String py) {
        StringBuilder out = new StringBuilder(py.length() + 16);
        boolean inClass = false;
        for (int i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char next = py.charAt(++i);
                out.append(inClass ? classEscape(next) : escape(next));
                continue;
            }
            if (inClass) {
                if (c == ']' && !classJustOpened(py, i)) {
                    inClass = false;
                } else if (c == '[' || c == '&') {
                    out.append('\\');  // literal in a Python class; nesting or intersection in Java
                }
                out.append(c);
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append(c);
                }
                case '{' -> out.append(!isQuantifier(py, i) ? "\\{" : py.charAt(i + 1) == ',' ? "{0" : "{");
                case '}' -> out.append(closesQuantifier(py, i) ? "}" : "\\}");
                case '(' -> {
                    if (py.startsWith("(?P<", i)) {
                        out.append("(?<");
                        i += 3;
                    } else if (py.startsWith("(?P=", i)) {
                        int end = py.indexOf(')', i);
                        out.append("\\k<").append(py, i + 4, end).append('>');
                        i = end;
                    } else {
                        out.append(c);
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case 'w' -> "[" + WORD + "]";
            case 'W' -> "[^" + WORD + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 's' -> "[" + SPACE + "]";
            case 'S' -> "[^" + SPACE + "]";
            case 'b' -> BOUNDARY;
            case 'B' -> NOT_BOUNDARY;
            case 'Z' -> "\\z";
            default -> "\\" + c;
        };
    }

    private static String classEscape(char c) {
        return switch (c) {
            case 'w' -> WORD;
            case 'W' -> "[^" + WORD + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 's' -> SPACE;
            case 'S' -> "[^" + SPACE + "]";
            default -> "\\" + c;
        };
    }

    /** A {@code ]} right after {@code [} or {@code [^} is a literal member in Python. */
    private static boolean classJustOpened(String py, int i) {
        return py.charAt(i - 1) == '[' && (i < 2 || py.charAt(i - 2) != '\\')
                || py.charAt(i - 1) == '^' && i >= 2 && py.charAt(i - 2) == '[';
    }

    /** Python reads {@code {m}}, {@code {m,}}, {@code {,n}} and {@code {m,n}} as quantifiers, any other brace literally. */
    private static boolean isQuantifier(String py, int open) {
        int close = py.indexOf('}', open);
        return close > open && py.substring(open + 1, close).matches("\\d+|\\d+,\\d*|,\\d+");
    }

    private static boolean closesQuantifier(String py, int close) {
        int open = py.lastIndexOf('{', close);
        return open >= 0 && isQuantifier(py, open) && py.indexOf('}', open) == close;
    }
}
