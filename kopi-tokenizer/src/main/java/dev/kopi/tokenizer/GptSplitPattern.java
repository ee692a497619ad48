package dev.kopi.tokenizer;

/**
 * A hand-written scanner for the split regex of Qwen2/Qwen3 and Llama 3, which Hugging Face runs with
 * Oniguruma:
 *
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,D}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 *
 * with {@code D = 1} for Qwen and {@code D = 3} for Llama 3. Every character is a letter, a number, white space
 * or something else, so a match starts at every position; the scanner decides which alternative matches
 * first (leftmost-first, with the backtracking of the greedy parts worked out by hand below) and how far.
 * java.util.regex gets {@code \p{L}} and {@code \s} right only with UNICODE_CHARACTER_CLASS and is several
 * times slower.
 */
final class GptSplitPattern implements PreTokenizer.Matcher {
    /** Qwen2 / Qwen3 (llama.cpp pre-tokenizer "qwen2"). */
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Llama 3 (llama.cpp pre-tokenizer "llama-bpe"). */
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final byte LETTER = 0;
    private static final byte NUMBER = 1;
    private static final byte SPACE = 2;
    private static final byte OTHER = 3;

    /** Class of every BMP character, computed once. */
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP_CLASS[c] = classify(c);
        }
    }

    private final int maxDigits;

    private GptSplitPattern(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    /** The scanner for {@code regex} when it is one kopi knows, else null. */
    static GptSplitPattern forRegex(String regex) {
        if (QWEN2.equals(regex)) {
            return new GptSplitPattern(1);
        }
        if (LLAMA3.equals(regex)) {
            return new GptSplitPattern(3);
        }
        return null;
    }

    private static byte classify(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** Oniguruma's Unicode {@code \s}: tab to carriage return, NEL, and the separators (Zs, Zl, Zp). */
    private static boolean isWhiteSpace(int cp) {
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

    @Override
    public long find(String text, int at, int to) {
        return at >= to ? -1 : (long) at << 32 | matchEnd(text, at, to);
    }

    /** Where the match starting at {@code at} ends. */
    int matchEnd(String s, int at, int to) {
        char c0 = s.charAt(at);
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c0 == '\'' && at + 1 < to) {
            int contraction = contractionEnd(s, at + 1, to);
            if (contraction > 0) {
                return contraction;
            }
        }
        byte k0 = classAt(s, at);
        int w0 = widthAt(s, at, to);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (k0 == LETTER) {
            return letterRunEnd(s, at + w0, to);
        }
        if (k0 != NUMBER && !isLineBreak(c0) && at + w0 < to && classAt(s, at + w0) == LETTER) {
            return letterRunEnd(s, at + w0, to);
        }
        // \p{N}{1,maxDigits}
        if (k0 == NUMBER) {
            int end = at + w0;
            for (int digits = 1; digits < maxDigits && end < to && classAt(s, end) == NUMBER; digits++) {
                end += widthAt(s, end, to);
            }
            return end;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int p = c0 == ' ' ? at + 1 : at;
        if (p < to && classAt(s, p) == OTHER) {
            do {
                p += widthAt(s, p, to);
            } while (p < to && classAt(s, p) == OTHER);
            while (p < to && isLineBreak(s.charAt(p))) {
                p++;
            }
            return p;
        }
        // c0 is white space from here on. '\s*[\r\n]+' matches through the run's last line break, if any.
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

    private static int letterRunEnd(String s, int from, int to) {
        int end = from;
        while (end < to && classAt(s, end) == LETTER) {
            end += widthAt(s, end, to);
        }
        return end;
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
