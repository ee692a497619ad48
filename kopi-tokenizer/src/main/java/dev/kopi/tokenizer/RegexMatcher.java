package dev.kopi.tokenizer;

import java.util.regex.Pattern;

/**
 * Finds the matches of a Split regex as Hugging Face does with Oniguruma: the regex (Oniguruma syntax, compiled
 * by {@link OnigurumaSyntax}) is run on the piece alone, each search resumes where the last match ended, and an
 * empty match right at that end is skipped by moving one character on (the {@code onig} crate's
 * {@code find_iter}). The regexes of the model families kopi knows have hand-written scanners instead
 * ({@link GptSplitPattern}); this is the path for any other.
 */
final class RegexMatcher implements PreTokenizer.Matcher {
    private final Pattern pattern;
    private final ThreadLocal<java.util.regex.Matcher> matchers;

    private RegexMatcher(Pattern pattern) {
        this.pattern = pattern;
        this.matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    /** A regex in Oniguruma syntax, as tokenizer.json writes it. */
    static RegexMatcher oniguruma(String regex) {
        return new RegexMatcher(OnigurumaSyntax.compile(regex));
    }

    /** A literal delimiter (a Split's {@code String} pattern, which Hugging Face escapes into a regex). */
    static RegexMatcher literal(String delimiter) {
        return new RegexMatcher(Pattern.compile(Pattern.quote(delimiter)));
    }

    @Override
    public void findAll(String text, int from, int to, IntList matches) {
        String piece = text.substring(from, to); // the regex must not see past the piece's edges
        java.util.regex.Matcher m = matchers.get().reset(piece);
        int searchFrom = 0;
        int lastMatchEnd = -1;
        while (searchFrom <= piece.length() && m.find(searchFrom)) {
            int start = m.start();
            int end = m.end();
            if (start == end && end == lastMatchEnd) {
                searchFrom = end < piece.length() ? end + Character.charCount(piece.codePointAt(end)) : end + 1;
                continue;
            }
            matches.add(from + start);
            matches.add(from + end);
            searchFrom = end;
            lastMatchEnd = end;
        }
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
