package dev.kopi.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a regex written for Oniguruma, the engine Hugging Face tokenizers runs {@code Split} patterns with
 * (its default syntax, UTF-8, no options), into a {@link java.util.regex.Pattern} that matches the same text.
 *
 * <p>The two dialects agree on most of what tokenizer regexes use (Unicode classes, lookarounds, atomic groups,
 * possessive {@code ?+ *+ ++}); the rewriting covers where they part:
 * <ul>
 *   <li>{@code \s \d \w \b} are Unicode in Oniguruma: Java needs UNICODE_CHARACTER_CLASS;</li>
 *   <li>{@code .} excludes only {@code \n}, and {@code ^ $} are always line anchors at {@code \n}: UNIX_LINES
 *       and MULTILINE;</li>
 *   <li>a quantifier after an interval is a new repeat, not a modifier: {@code a{2,3}+} is {@code (?:a{2,3})+},
 *       {@code a{2}?} is {@code (?:a{2})?}; so is any quantifier after a complete one ({@code a**});</li>
 *   <li>{@code {,n}} means {@code {0,n}}, and a brace that starts no interval is a literal;</li>
 *   <li>{@code \h} is a hex digit, {@code \v} is U+000B, {@code \R} is atomic, {@code \N} is {@code [^\n]},
 *       {@code \O} is any character, octal is {@code \ooo}, {@code (?m)} means dotall;</li>
 *   <li>property names: long general-category names ({@code \p{Letter}}), scripts ({@code \p{Han}}), blocks
 *       ({@code \p{In_Thai}}), binary properties, {@code \p{^L}}, and POSIX brackets {@code [[:alpha:]]};</li>
 *   <li>inside a class, {@code ]} first and {@code -} next to anything but two characters are literals.</li>
 * </ul>
 * Constructs with no Java equivalent (absent groups, conditionals, callouts, subexpression calls, {@code \K},
 * {@code \X}, {@code \y}) are refused with an error naming them rather than approximated.
 */
final class OnigurumaSyntax {
    private OnigurumaSyntax() {}

    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES | Pattern.MULTILINE;

    /** Quantifier state of the last atom, which decides whether a following quantifier modifies or repeats it. */
    private enum Quantified { NO, SIMPLE, INTERVAL, FIXED_INTERVAL, MODIFIED }

    static Pattern compile(String regex) {
        String java = translate(regex);
        try {
            return Pattern.compile(java, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new TokenizerFormatException("regex " + quote(regex) + " is not valid: " + e.getDescription(), e);
        }
    }

    /** The Java form of an Oniguruma regex. */
    static String translate(String regex) {
        return new Translator(regex).run();
    }

    private static String quote(String regex) {
        return "\"" + regex.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static final class Translator {
        private final String in;
        private int i;
        private final StringBuilder out = new StringBuilder();
        private final Deque<Integer> groupStarts = new ArrayDeque<>();
        /** Where in {@code out} the last quantifiable atom starts, or -1. */
        private int atomStart = -1;
        private Quantified quantified = Quantified.NO;

        Translator(String in) {
            this.in = in;
        }

        String run() {
            while (i < in.length()) {
                int c = in.codePointAt(i);
                switch (c) {
                    case '\\' -> escape();
                    case '[' -> {
                        beginAtom();
                        out.append(characterClass());
                    }
                    case '(' -> group();
                    case ')' -> {
                        if (groupStarts.isEmpty()) {
                            throw error("unmatched ')'");
                        }
                        i++;
                        out.append(')');
                        atomStart = groupStarts.pop();
                        quantified = Quantified.NO;
                    }
                    case '|' -> {
                        i++;
                        out.append('|');
                        noAtom();
                    }
                    case '*', '+', '?' -> {
                        i++;
                        quantifier(String.valueOf((char) c), c == '*' ? Quantified.SIMPLE : null);
                    }
                    case '{' -> {
                        String interval = interval();
                        if (interval == null) {
                            i++;
                            beginAtom();
                            out.append("\\{");
                        } else {
                            quantifier(interval, interval.contains(",") ? Quantified.INTERVAL : Quantified.FIXED_INTERVAL);
                        }
                    }
                    case '^', '$' -> {
                        i++;
                        out.append((char) c);
                        noAtom();
                    }
                    case '.' -> {
                        i++;
                        beginAtom();
                        out.append('.');
                    }
                    default -> {
                        i += Character.charCount(c);
                        beginAtom();
                        out.append(literal(c));
                    }
                }
            }
            if (!groupStarts.isEmpty()) {
                throw error("missing ')'");
            }
            return out.toString();
        }

        private void beginAtom() {
            atomStart = out.length();
            quantified = Quantified.NO;
        }

        private void noAtom() {
            atomStart = -1;
            quantified = Quantified.NO;
        }

        /**
         * Appends a quantifier. {@code kind} is what it makes of the atom; null for {@code ?} and {@code +},
         * which modify a simple quantifier before them (lazy, possessive) or else quantify.
         */
        private void quantifier(String text, Quantified kind) {
            if (atomStart < 0) {
                throw error("target of repeat operator is not specified");
            }
            boolean modifies = kind == null && (quantified == Quantified.SIMPLE
                    || quantified == Quantified.INTERVAL && text.equals("?"));
            if (modifies) {
                out.append(text);
                quantified = Quantified.MODIFIED;
                return;
            }
            if (quantified != Quantified.NO) { // a repeat of the quantified atom: make it one atom first
                out.insert(atomStart, "(?:").append(')');
            }
            out.append(text);
            quantified = kind != null ? kind : Quantified.SIMPLE;
        }

        /** The interval at {@code i} in Java form ({@code {,n}} becomes {@code {0,n}}), consumed; or null. */
        private String interval() {
            java.util.regex.Matcher m = INTERVAL.matcher(in).region(i, in.length());
            if (!m.lookingAt() || m.group(1).isEmpty() && (m.group(2) == null || m.group(3).isEmpty())) {
                return null;
            }
            i = m.end();
            String low = m.group(1).isEmpty() ? "0" : m.group(1);
            return m.group(2) == null ? "{" + low + "}" : "{" + low + "," + m.group(3) + "}";
        }

        private static final Pattern INTERVAL = Pattern.compile("\\{([0-9]*)(,([0-9]*))?}");

        private void group() {
            int start = out.length();
            if (!in.startsWith("(?", i)) {
                i++;
                openGroup(start, "(");
                return;
            }
            if (in.startsWith("(?#", i)) { // a comment
                int close = in.indexOf(')', i);
                if (close < 0) {
                    throw error("unterminated comment");
                }
                i = close + 1;
                return;
            }
            for (String prefix : List.of("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>")) {
                if (in.startsWith(prefix, i)) {
                    i += prefix.length();
                    openGroup(start, prefix);
                    return;
                }
            }
            if (in.startsWith("(?<", i) || in.startsWith("(?'", i)) {
                char close = in.charAt(i + 2) == '<' ? '>' : '\'';
                int end = in.indexOf(close, i + 3);
                if (end < 0) {
                    throw error("unterminated group name");
                }
                String name = in.substring(i + 3, end);
                i = end + 1;
                openGroup(start, "(?<" + name + ">");
                return;
            }
            java.util.regex.Matcher options = OPTIONS.matcher(in).region(i, in.length());
            if (options.lookingAt()) {
                i = options.end();
                String java = "(?" + javaOptions(options.group(1)) + (options.group(2) == null ? ""
                        : "-" + javaOptions(options.group(2)));
                if (options.group(3).equals(":")) {
                    openGroup(start, java + ":");
                } else {
                    out.append(java).append(')'); // applies to the rest of the enclosing group, as in Java
                }
                return;
            }
            String construct = in.startsWith("(?~", i) ? "absent group (?~...)"
                    : in.startsWith("(?(", i) ? "conditional (?(cond)...)"
                    : in.startsWith("(?{", i) || in.startsWith("(*", i) ? "callout"
                    : "group " + in.substring(i, Math.min(in.length(), i + 4)) + "...";
            throw error(construct + " has no Java equivalent");
        }

        private static final Pattern OPTIONS = Pattern.compile("\\(\\?([imx]*)(?:-([imx]*))?([:)])");

        /** Oniguruma's option letters in Java: {@code m} is dotall there. */
        private static String javaOptions(String letters) {
            return letters.replace('m', 's');
        }

        private void openGroup(int start, String java) {
            out.append(java);
            groupStarts.push(start);
            noAtom();
        }

        private void escape() {
            if (i + 1 >= in.length()) {
                throw error("trailing backslash");
            }
            int c = in.codePointAt(i + 1);
            switch (c) {
                case 'A', 'z', 'Z', 'G' -> {
                    i += 2;
                    out.append('\\').append((char) c);
                    noAtom();
                }
                case 'b', 'B' -> { // on Oniguruma's \w, not Java's (which differs, and treats marks specially)
                    i += 2;
                    out.append(c == 'b' ? "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))"
                            : "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))");
                    noAtom();
                }
                case 'K', 'X', 'y', 'Y', 'g' -> throw error("\\" + (char) c + " has no Java equivalent");
                default -> {
                    beginAtom();
                    out.append(escapeAtom(false));
                }
            }
        }

        /** The Java form of the escape at {@code i} that stands for characters (in a class if {@code inClass}). */
        private String escapeAtom(boolean inClass) {
            int c = in.codePointAt(i + 1);
            i += 2;
            return switch (c) {
                case 'd', 'D', 's', 'S', 't', 'n', 'r', 'f', 'e', 'a' -> "\\" + (char) c;
                case 'w' -> WORD;
                case 'W' -> NOT_WORD;
                case 'v' -> "\\x{B}";
                case 'b' -> "\\x{8}"; // in a class: backspace
                case 'h' -> inClass ? "0-9a-fA-F" : "[0-9a-fA-F]";
                case 'H' -> "[^0-9a-fA-F]";
                case 'R' -> "(?>\\r\\n|[\\n\\x{B}\\f\\r\\x{85}\\x{2028}\\x{2029}])";
                case 'N' -> "[^\\n]";
                case 'O' -> "[\\x{0}-\\x{10FFFF}]";
                case 'p', 'P' -> property(c == 'P');
                case 'x' -> literal(hex());
                case 'u' -> literal(fixedHex(4));
                case 'o' -> literal(braced(8));
                case '0' -> literal(octal(0));
                case 'k' -> {
                    if (i >= in.length() || in.charAt(i) != '<' && in.charAt(i) != '\'') {
                        throw error("\\k without a group name");
                    }
                    int end = in.indexOf(in.charAt(i) == '<' ? '>' : '\'', i + 1);
                    String name = in.substring(i + 1, end);
                    i = end + 1;
                    yield "\\k<" + name + ">";
                }
                default -> {
                    if (c >= '1' && c <= '9') {
                        yield "\\" + (char) c; // a back reference
                    }
                    if (c < 0x80 && Character.isLetterOrDigit(c)) {
                        throw error("unknown escape \\" + (char) c);
                    }
                    yield literal(c);
                }
            };
        }

        /** {@code \xHH} (up to two digits) or {@code \x{H...}}, after the x. */
        private int hex() {
            if (i < in.length() && in.charAt(i) == '{') {
                return braced(16);
            }
            int end = i;
            while (end < in.length() && end < i + 2 && Character.digit(in.charAt(end), 16) >= 0) {
                end++;
            }
            if (end == i) {
                throw error("\\x without hex digits");
            }
            int value = Integer.parseInt(in, i, end, 16);
            i = end;
            return value;
        }

        private int fixedHex(int digits) {
            if (i + digits > in.length()) {
                throw error("\\u needs " + digits + " hex digits");
            }
            int value = Integer.parseInt(in, i, i + digits, 16);
            i += digits;
            return value;
        }

        private int braced(int radix) {
            int close = in.indexOf('}', i);
            if (i >= in.length() || in.charAt(i) != '{' || close < 0) {
                throw error("malformed braced code point");
            }
            int value = Integer.parseInt(in, i + 1, close, radix);
            i = close + 1;
            return value;
        }

        /** Up to two more octal digits after a leading 0 (Oniguruma's \ooo). */
        private int octal(int value) {
            for (int n = 0; n < 2 && i < in.length() && in.charAt(i) >= '0' && in.charAt(i) <= '7'; n++) {
                value = value * 8 + in.charAt(i++) - '0';
            }
            return value;
        }

        /** {@code \p{Name}}, {@code \p{^Name}}, {@code \P{Name}} after the p. */
        private String property(boolean negated) {
            if (i >= in.length() || in.charAt(i) != '{') {
                throw error("\\p without {name}");
            }
            int close = in.indexOf('}', i);
            if (close < 0) {
                throw error("unterminated \\p{");
            }
            String name = in.substring(i + 1, close);
            i = close + 1;
            if (name.startsWith("^")) {
                negated = !negated;
                name = name.substring(1);
            }
            return javaProperty(name, negated);
        }

        /** A character class at {@code i}, nested classes and set operations included, in Java form. */
        private String characterClass() {
            i++; // '['
            StringBuilder cls = new StringBuilder("[");
            if (i < in.length() && in.charAt(i) == '^') {
                cls.append('^');
                i++;
            }
            List<String> items = new ArrayList<>();
            List<Boolean> single = new ArrayList<>(); // whether each item is one character (can end a range)
            boolean first = true;
            while (true) {
                if (i >= in.length()) {
                    throw error("premature end of char-class");
                }
                int c = in.codePointAt(i);
                if (c == ']' && !first) {
                    i++;
                    break;
                }
                first = false;
                if (c == '[') {
                    java.util.regex.Matcher posix = POSIX.matcher(in).region(i, in.length());
                    if (posix.lookingAt()) {
                        i = posix.end();
                        items.add(javaProperty(posix.group(2), !posix.group(1).isEmpty()));
                    } else {
                        items.add(characterClass());
                    }
                    single.add(false);
                } else if (c == '&' && in.startsWith("&&", i)) {
                    i += 2;
                    items.add("&&");
                    single.add(false);
                } else if (c == '\\') {
                    int before = i;
                    String escaped = escapeAtom(true);
                    items.add(escaped);
                    char kind = in.charAt(before + 1);
                    single.add("xuo0".indexOf(kind) >= 0 || "tnrfeavb".indexOf(kind) >= 0
                            || !(kind < 0x80 && Character.isLetterOrDigit(kind)));
                } else if (c == '-') {
                    i++;
                    items.add("-");
                    single.add(null); // decided below
                } else {
                    i += Character.charCount(c);
                    items.add(literal(c));
                    single.add(true);
                }
            }
            for (int k = 0; k < items.size(); k++) {
                if (single.get(k) == null) { // a range only between two single characters
                    boolean range = k > 0 && Boolean.TRUE.equals(single.get(k - 1)) && k + 1 < items.size()
                            && Boolean.TRUE.equals(single.get(k + 1)) && (k < 2 || !"-".equals(items.get(k - 2)));
                    cls.append(range ? "-" : "\\-");
                } else {
                    cls.append(items.get(k));
                }
            }
            return cls.append(']').toString();
        }

        private static final Pattern POSIX = Pattern.compile("\\[:(\\^?)([a-z]+):]");

        private TokenizerFormatException error(String problem) {
            return new TokenizerFormatException("regex " + quote(in) + " is not a valid regex: " + problem
                    + " (at offset " + i + ")");
        }
    }

    /** A literal character in Java form: letters, digits and space as they are, anything else by code point. */
    private static String literal(int c) {
        if (c < 0x80 && (Character.isLetterOrDigit(c) || c == ' ')) {
            return String.valueOf((char) c);
        }
        return "\\x{" + Integer.toHexString(c) + "}";
    }

    /** General categories by their long names, lower case without separators. */
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("letter", "L"), Map.entry("casedletter", "LC"), Map.entry("uppercaseletter", "Lu"),
            Map.entry("lowercaseletter", "Ll"), Map.entry("titlecaseletter", "Lt"),
            Map.entry("modifierletter", "Lm"), Map.entry("otherletter", "Lo"), Map.entry("mark", "M"),
            Map.entry("combiningmark", "M"), Map.entry("nonspacingmark", "Mn"), Map.entry("spacingmark", "Mc"),
            Map.entry("enclosingmark", "Me"), Map.entry("number", "N"), Map.entry("decimalnumber", "Nd"),
            Map.entry("letternumber", "Nl"), Map.entry("othernumber", "No"), Map.entry("punctuation", "P"),
            Map.entry("connectorpunctuation", "Pc"), Map.entry("dashpunctuation", "Pd"),
            Map.entry("openpunctuation", "Ps"), Map.entry("closepunctuation", "Pe"),
            Map.entry("initialpunctuation", "Pi"), Map.entry("finalpunctuation", "Pf"),
            Map.entry("otherpunctuation", "Po"), Map.entry("symbol", "S"), Map.entry("mathsymbol", "Sm"),
            Map.entry("currencysymbol", "Sc"), Map.entry("modifiersymbol", "Sk"), Map.entry("othersymbol", "So"),
            Map.entry("separator", "Z"), Map.entry("spaceseparator", "Zs"), Map.entry("lineseparator", "Zl"),
            Map.entry("paragraphseparator", "Zp"), Map.entry("other", "C"), Map.entry("control", "Cc"),
            Map.entry("format", "Cf"), Map.entry("surrogate", "Cs"), Map.entry("privateuse", "Co"),
            Map.entry("unassigned", "Cn"));

    /**
     * Oniguruma's {@code \w}: Alphabetic, marks, decimal digits and connector punctuation, and below U+0100
     * the word characters of its Latin-1 table, which add the superscripts and fractions. Java's own
     * {@code \w} also has the joiners U+200C and U+200D.
     */
    private static final String WORD = "[\\p{IsAlphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{B2}\\x{B3}\\x{B9}\\x{BC}-\\x{BE}]";
    private static final String NOT_WORD = "[^" + WORD.substring(1);

    /**
     * Oniguruma's character types by their POSIX names ({@code [[:punct:]]}, {@code \p{Punct}}), in Java form:
     * Java's own POSIX classes differ (its Punct lacks the symbols, its Alnum the marks).
     */
    private static final Map<String, String> CTYPES = Map.ofEntries(
            Map.entry("alpha", "[\\p{IsAlphabetic}]"), Map.entry("digit", "[\\p{Nd}]"),
            Map.entry("alnum", "[\\p{IsAlphabetic}\\p{Nd}]"), Map.entry("upper", "[\\p{IsUppercase}]"),
            Map.entry("lower", "[\\p{IsLowercase}]"), Map.entry("space", "[\\s]"),
            Map.entry("punct", "[\\p{P}\\p{S}]"), Map.entry("xdigit", "[0-9A-Fa-f]"),
            Map.entry("blank", "[\\t\\p{Zs}]"), Map.entry("ascii", "[\\x{0}-\\x{7F}]"),
            Map.entry("word", WORD));

    /** A Unicode property by its Oniguruma name, in Java form. */
    static String javaProperty(String name, boolean negated) {
        String key = name.replace("_", "").replace(" ", "").replace("-", "").toLowerCase(Locale.ROOT);
        String p = negated ? "\\P" : "\\p";
        String n = negated ? "^" : "";
        if (key.equals("any")) {
            return negated ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]";
        }
        if (CTYPES.containsKey(key)) {
            String cls = CTYPES.get(key);
            return negated ? "[^" + cls.substring(1) : cls;
        }
        for (String category : CATEGORIES.values()) {
            if (category.toLowerCase(Locale.ROOT).equals(key)) {
                return p + "{" + category + "}";
            }
        }
        if (CATEGORIES.containsKey(key)) {
            return p + "{" + CATEGORIES.get(key) + "}";
        }
        if (key.equals("graph") || key.equals("print") || key.equals("cntrl")) {
            throw new TokenizerFormatException("regex class " + name + " is not supported");
        }
        try {
            return p + "{script=" + Character.UnicodeScript.forName(name.replace(' ', '_')).name() + "}";
        } catch (IllegalArgumentException notAScript) {
            // fall through
        }
        if (key.startsWith("in")) {
            try {
                Character.UnicodeBlock block = Character.UnicodeBlock.forName(name.substring(name.indexOf('n') + 1)
                        .replaceFirst("^_", ""));
                return p + "{block=" + block + "}";
            } catch (IllegalArgumentException notABlock) {
                // fall through
            }
        }
        try {
            String binary = p + "{Is" + name.replace(' ', '_') + "}";
            Pattern.compile(binary);
            return binary;
        } catch (PatternSyntaxException unknown) {
            throw new TokenizerFormatException("regex property \\p{" + n + name + "} is not known to Java");
        }
    }
}
