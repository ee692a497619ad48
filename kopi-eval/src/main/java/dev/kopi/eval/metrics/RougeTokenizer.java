package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The multilingual tokenization of SEA-HELM's ROUGE scorer. Text is lower-cased and sanitised (control characters
 * dropped, whitespace unified, punctuation removed as word separators). Thai is then word-segmented and Burmese split
 * into syllables; every other language is split where letters meet digits or symbols, with each CJK ideograph a
 * token of its own.
 */
public final class RougeTokenizer {
    private final String language;
    private final WordSegmenter thai;

    /** @param language a SEA-HELM language code; {@code th} and {@code my} get their own segmentation */
    public RougeTokenizer(String language) {
        this.language = language;
        this.thai = language.equals("th") ? new WordSegmenter("th") : null;
    }

    public List<String> tokenize(String text) {
        String sanitized = String.join(" ", sanitize(PyText.strip(PyText.lower(text))));
        List<String> tokens = new ArrayList<>();
        if (thai != null) {
            for (String segment : thai.segments(sanitized)) {
                if (!segment.isEmpty()) {
                    tokens.add(segment);
                }
            }
        } else if (language.equals("my")) {
            tokens.addAll(BurmeseSyllables.split(sanitized));
        }
        if (tokens.isEmpty() && !sanitized.isEmpty()) {
            tokens.addAll(splitLettersAndDigits(sanitized));
        }
        return tokens;
    }

    /** Drops NUL, U+FFFD and control characters, turns whitespace into spaces, and splits words at punctuation. */
    static List<String> sanitize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            cleaned.appendCodePoint(isWhitespace(cp) ? ' ' : cp);
        });
        List<String> words = new ArrayList<>();
        for (String token : PyText.split(cleaned.toString())) {
            StringBuilder word = null;
            for (int i = 0; i < token.length(); ) {
                int cp = token.codePointAt(i);
                if (isPunctuation(cp)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    if (word == null) {
                        word = new StringBuilder();
                    }
                    word.appendCodePoint(cp);
                }
                i += Character.charCount(cp);
            }
            if (word != null) {
                words.add(word.toString());
            }
        }
        return PyText.split(String.join(" ", words));
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * Splits each word where runs of letters (with their combining marks) meet runs of digits or other symbols; a
     * CJK ideograph is always a token of its own.
     */
    static List<String> splitLettersAndDigits(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : PyText.split(text)) {
            StringBuilder current = new StringBuilder();
            int currentKind = -1;
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                i += Character.charCount(cp);
                int kind = kind(cp);
                boolean standalone = kind == SYMBOL || kind == IDEOGRAPH;
                if (kind == MARK && currentKind != -1 && currentKind != SYMBOL && currentKind != IDEOGRAPH) {
                    current.appendCodePoint(cp);
                    continue;
                }
                if (standalone || kind != currentKind) {
                    if (!current.isEmpty()) {
                        tokens.add(current.toString());
                    }
                    current.setLength(0);
                }
                current.appendCodePoint(cp);
                currentKind = kind == MARK ? LETTER : kind;
            }
            if (!current.isEmpty()) {
                tokens.add(current.toString());
            }
        }
        return tokens;
    }

    private static final int LETTER = 0;
    private static final int DIGIT = 1;
    private static final int MARK = 2;
    private static final int SYMBOL = 3;
    private static final int IDEOGRAPH = 4;

    private static int kind(int cp) {
        if (isCjk(cp)) {
            return IDEOGRAPH;
        }
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        if (Character.isDigit(cp)) {
            return DIGIT;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK) {
            return MARK;
        }
        return SYMBOL;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
