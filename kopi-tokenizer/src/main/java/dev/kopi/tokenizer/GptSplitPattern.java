package dev.kopi.tokenizer;

/**
 * Hand-written scanners for the split regexes of the model families kopi runs, which Hugging Face runs with
 * Oniguruma. Two shapes share their tail (numbers, punctuation, white space):
 *
 * <pre>
 * Qwen2/3, Llama 3:  (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,D}|TAIL
 * tekken, GPT-4o:    P?[U]*[W]+C?|P?[U]+[W]*C?|\p{N}{1,D}|TAIL
 * TAIL:              ' ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+'  (tekken and GPT-4o: [\r\n/]*)
 * </pre>
 *
 * where P is {@code [^\r\n\p{L}\p{N}]}, U is {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]}, W is
 * {@code [\p{Ll}\p{Lm}\p{Lo}\p{M}]}, C is GPT-4o's optional contraction {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)}
 * (tekken has none) and D is 1 (Qwen, tekken), 3 (Llama 3, GPT-4o). A {@code /} right after the
 * punctuation run would be part of it, but one after its line breaks (a brace, a line break, then a slash) is taken too.
 *
 * <p>Every character is a letter, mark, number, white space or something else, so a match starts at every
 * position; the scanner decides which alternative matches first (leftmost-first, with the backtracking of the
 * greedy parts worked out by hand below) and how far. java.util.regex needs UNICODE_CHARACTER_CLASS for
 * these classes and is several times slower.
 */
final class GptSplitPattern implements PreTokenizer.Matcher {
    /** Qwen2 / Qwen3 (llama.cpp pre-tokenizer "qwen2"). */
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Llama 3 (llama.cpp pre-tokenizer "llama-bpe"). */
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Mistral's tekken, used by Mistral NeMo and Apertus (llama.cpp pre-tokenizer "tekken"). */
    static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** OpenAI's o200k, used by GPT-4o and Llama 4 (llama.cpp pre-tokenizer "gpt-4o"). */
    static final String GPT4O = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    // Character classes. Upper and lower are the cased letters; CASELESS (Lm, Lo) and MARK are in both U and W.
    private static final byte UPPER = 0; // Lu, Lt
    private static final byte LOWER = 1; // Ll
    private static final byte CASELESS = 2; // Lm, Lo
    private static final byte MARK = 3; // Mn, Mc, Me: not \p{L}
    private static final byte NUMBER = 4;
    private static final byte SPACE = 5; // White_Space
    private static final byte OTHER = 6;

    /** Class of every BMP character, computed once. */
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP_CLASS[c] = classify(c);
        }
    }

    /** Whether words split at case changes (tekken, GPT-4o) rather than being any run of letters (Qwen, Llama 3). */
    private final boolean caseSplit;
    /** Whether contractions lead (Qwen, Llama 3) or may end a word (GPT-4o); tekken has none. */
    private final boolean leadingContractions;
    private final boolean trailingContractions;
    private final int maxDigits;

    private GptSplitPattern(boolean caseSplit, boolean leadingContractions, boolean trailingContractions,
            int maxDigits) {
        this.caseSplit = caseSplit;
        this.leadingContractions = leadingContractions;
        this.trailingContractions = trailingContractions;
        this.maxDigits = maxDigits;
    }

    /** The scanner for {@code regex} when it is one kopi knows, else null. */
    static GptSplitPattern forRegex(String regex) {
        return switch (regex) {
            case QWEN2 -> new GptSplitPattern(false, true, false, 1);
            case LLAMA3 -> new GptSplitPattern(false, true, false, 3);
            case TEKKEN -> new GptSplitPattern(true, false, false, 1);
            case GPT4O -> new GptSplitPattern(true, false, true, 3);
            default -> null;
        };
    }

    private static byte classify(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER -> UPPER;
            case Character.LOWERCASE_LETTER -> LOWER;
            case Character.MODIFIER_LETTER, Character.OTHER_LETTER -> CASELESS;
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> MARK;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /**
     * Unicode White_Space: tab to carriage return, NEL, and the separators (Zs, Zl, Zp). This is Oniguruma's
     * {@code \s} and Rust's {@code char::is_whitespace}.
     */
    static boolean isWhiteSpace(int cp) {
        if (cp >= 0x09 && cp <= 0x0D || cp == 0x85) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static byte classAt(String s, int i) {
        char c = s.charAt(i);
        if (!Character.isHighSurrogate(c)) {
            return BMP_CLASS[c];
        }
        return classify(s.codePointAt(i));
    }

    private static int widthAt(String s, int i, int to) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))
                ? 2 : 1;
    }

    private static boolean isLineBreak(char c) {
        return c == '\r' || c == '\n';
    }

    private static boolean isLetter(byte k) {
        return k <= CASELESS;
    }

    /** In U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]. */
    private static boolean isUpperSide(byte k) {
        return k == UPPER || k == CASELESS || k == MARK;
    }

    /** In W = [\p{Ll}\p{Lm}\p{Lo}\p{M}]. */
    private static boolean isLowerSide(byte k) {
        return k == LOWER || k == CASELESS || k == MARK;
    }

    @Override
    public void findAll(String text, int from, int to, IntList matches) {
        for (int at = from; at < to; ) {
            int end = matchEnd(text, at, to);
            matches.add(at);
            matches.add(end);
            at = end;
        }
    }

    /** Where the match starting at {@code at} ends. */
    int matchEnd(String s, int at, int to) {
        char c0 = s.charAt(at);
        if (leadingContractions && c0 == '\'' && at + 1 < to) {
            int contraction = contractionEnd(s, at + 1, to);
            if (contraction > 0) {
                return contraction;
            }
        }
        byte k0 = classAt(s, at);
        int w0 = widthAt(s, at, to);
        // P = [^\r\n\p{L}\p{N}] may lead a word
        boolean prefix = !isLetter(k0) && k0 != NUMBER && !isLineBreak(c0) && at + w0 < to;
        int word = caseSplit ? caseWordEnd(s, at, w0, prefix, to) : letterWordEnd(s, at, w0, k0, prefix, to);
        if (word >= 0) {
            return trailingContractions && word + 1 < to && s.charAt(word) == '\''
                    ? Math.max(word, contractionEnd(s, word + 1, to)) : word;
        }
        // \p{N}{1,maxDigits}
        if (k0 == NUMBER) {
            int end = at + w0;
            for (int digits = 1; digits < maxDigits && end < to && classAt(s, end) == NUMBER; digits++) {
                end += widthAt(s, end, to);
            }
            return end;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*', or [\r\n/]* for tekken and GPT-4o
        int p = c0 == ' ' ? at + 1 : at;
        if (p < to && isPunctuation(classAt(s, p))) {
            do {
                p += widthAt(s, p, to);
            } while (p < to && isPunctuation(classAt(s, p)));
            while (p < to && (isLineBreak(s.charAt(p)) || caseSplit && s.charAt(p) == '/')) { // [\r\n/]*
                p++;
            }
            return p;
        }
        return whiteSpaceEnd(s, at, to);
    }

    /** In [^\s\p{L}\p{N}]. */
    private static boolean isPunctuation(byte k) {
        return k == MARK || k == OTHER;
    }

    /** {@code [^\r\n\p{L}\p{N}]?\p{L}+}: the end, or -1. */
    private static int letterWordEnd(String s, int at, int w0, byte k0, boolean prefix, int to) {
        if (isLetter(k0)) {
            return run(s, at + w0, to, LETTERS);
        }
        if (prefix && isLetter(classAt(s, at + w0))) {
            return run(s, at + w0, to, LETTERS);
        }
        return -1;
    }

    /**
     * {@code P?U*W+|P?U+W*}: the end, or -1. Alternatives and the optional prefix are tried in the regex's
     * order: the first alternative with the prefix, without it, then the second with and without.
     */
    private static int caseWordEnd(String s, int at, int w0, boolean prefix, int to) {
        int end = prefix ? upperThenLower(s, at + w0, to) : -1;
        if (end < 0) {
            end = upperThenLower(s, at, to);
        }
        if (end < 0 && prefix) {
            end = upperRun(s, at + w0, to);
        }
        if (end < 0) {
            end = upperRun(s, at, to);
        }
        return end;
    }

    /**
     * {@code U*W+} at {@code from}: U* takes the longest run; if a lower-case letter follows, W+ takes the
     * longest W run from there. Otherwise U* gives back characters until the one given back is also in W,
     * which W+ then takes alone (the rest of the run is upper case, not in W). -1 when no character of the
     * run is in W.
     */
    private static int upperThenLower(String s, int from, int to) {
        int lastLowerSideEnd = -1;
        int r = from;
        while (r < to) {
            byte k = classAt(s, r);
            if (!isUpperSide(k)) {
                break;
            }
            r += widthAt(s, r, to);
            if (isLowerSide(k)) {
                lastLowerSideEnd = r;
            }
        }
        if (r < to && classAt(s, r) == LOWER) {
            return run(s, r, to, LOWER_SIDE);
        }
        return lastLowerSideEnd;
    }

    /** {@code U+W*} at {@code from} after {@code U*W+} failed there: the U run, or -1 if empty. */
    private static int upperRun(String s, int from, int to) {
        int r = run(s, from, to, UPPER_SIDE);
        return r > from ? run(s, r, to, LOWER_SIDE) : -1;
    }

    private static final int LETTERS = 0;
    private static final int UPPER_SIDE = 1;
    private static final int LOWER_SIDE = 2;

    /** The end of the longest run from {@code from} of characters in one of the sets above. */
    private static int run(String s, int from, int to, int set) {
        int end = from;
        while (end < to) {
            byte k = classAt(s, end);
            boolean in = switch (set) {
                case LETTERS -> isLetter(k);
                case UPPER_SIDE -> isUpperSide(k);
                default -> isLowerSide(k);
            };
            if (!in) {
                break;
            }
            end += widthAt(s, end, to);
        }
        return end;
    }

    /** {@code \s*[\r\n]+|\s+(?!\S)|\s+} at {@code at}, which holds white space. */
    private static int whiteSpaceEnd(String s, int at, int to) {
        // '\s*[\r\n]+' matches through the run's last line break, if any.
        int runEnd = at;
        int lastBreak = -1;
        int lastCharStart = at;
        while (runEnd < to && classAt(s, runEnd) == SPACE) {
            if (isLineBreak(s.charAt(runEnd))) {
                lastBreak = runEnd;
            }
            lastCharStart = runEnd;
            runEnd += widthAt(s, runEnd, to);
        }
        if (lastBreak >= 0) {
            return lastBreak + 1;
        }
        // '\s+(?!\S)': the whole run at the end of the text, else all but its last character when that leaves
        // one; otherwise '\s+' takes the single character.
        if (runEnd == to || lastCharStart == at) {
            return runEnd;
        }
        return lastCharStart;
    }

    /** End of a contraction whose letters start at {@code i}, or 0. Case-insensitive as Oniguruma folds case. */
    private static int contractionEnd(String s, int i, int to) {
        char a = fold(s.charAt(i));
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return i + 1;
        }
        if (i + 1 < to) {
            char b = fold(s.charAt(i + 1));
            if ((a == 'r' || a == 'v') && b == 'e' || a == 'l' && b == 'l') {
                return i + 2;
            }
        }
        return 0;
    }

    /** Simple case folding of the letters that appear in the contractions; U+017F LONG S folds to 's'. */
    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        return c == '\u017F' ? 's' : c;
    }
}
