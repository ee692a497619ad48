package dev.kopi.tokenizer;

import java.util.List;

/**
 * The pre-tokenizer stage: cuts normalized text into the pieces ("words") that the model encodes one by one.
 * Pieces are reported by their end offsets so that no substring is made on the hot path.
 */
interface PreTokenizer {

    /** Appends to {@code ends} the end offset of each piece of {@code text[from, to)}, in order. */
    void split(String text, int from, int to, IntList ends);

    /** Leaves the text whole; the stage of tokenizers without a pre-tokenizer, and of ByteLevel without regex. */
    PreTokenizer WHOLE = (text, from, to, ends) -> {
        if (to > from) {
            ends.add(to);
        }
    };

    /** Pre-tokenizers applied in turn, each to every piece of the one before. */
    record Sequence(List<PreTokenizer> stages) implements PreTokenizer {
        @Override
        public void split(String text, int from, int to, IntList ends) {
            IntList current = new IntList(16);
            WHOLE.split(text, from, to, current);
            for (PreTokenizer stage : stages) {
                IntList next = new IntList(current.size() * 2);
                int start = from;
                for (int i = 0; i < current.size(); i++) {
                    stage.split(text, start, current.get(i), next);
                    start = current.get(i);
                }
                current = next;
            }
            for (int i = 0; i < current.size(); i++) {
                ends.add(current.get(i));
            }
        }
    }

    /** How a Split pre-tokenizer treats the delimiters it finds (Hugging Face's {@code SplitDelimiterBehavior}). */
    enum Behavior { ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT }

    /** Finds the pattern of a Split pre-tokenizer. */
    interface Matcher {
        /** The first match in {@code text[at, to)} as {@code start << 32 | end}, or -1 when there is none. */
        long find(String text, int at, int to);
    }

    /** Hugging Face's Split: cuts the text around every match of a pattern. */
    record Split(Matcher matcher, Behavior behavior) implements PreTokenizer {
        @Override
        public void split(String text, int from, int to, IntList ends) {
            int pieceStart = from;
            int pos = from;
            while (pos < to) {
                long match = matcher.find(text, pos, to);
                if (match < 0) {
                    break;
                }
                int start = (int) (match >>> 32);
                int end = (int) match;
                if (end == start) { // an empty match delimits nothing
                    pos = start + 1;
                    continue;
                }
                switch (behavior) {
                    case ISOLATED -> {
                        if (start > pieceStart) ends.add(start);
                        ends.add(end);
                        pieceStart = end;
                    }
                    case MERGED_WITH_PREVIOUS -> {
                        ends.add(end);
                        pieceStart = end;
                    }
                    case MERGED_WITH_NEXT -> {
                        if (start > pieceStart) ends.add(start);
                        pieceStart = start;
                    }
                }
                pos = end;
            }
            if (to > pieceStart) {
                ends.add(to);
            }
        }
    }

    /** A Split pattern given as a literal string. */
    record LiteralMatcher(String literal) implements Matcher {
        @Override
        public long find(String text, int at, int to) {
            int start = text.indexOf(literal, at);
            return start < 0 || start + literal.length() > to ? -1 : (long) start << 32 | (start + literal.length());
        }
    }

    /**
     * A Split pattern given as a regular expression that kopi has no hand-written scanner for: run with
     * java.util.regex in Unicode mode. The patterns of the supported model families never come here.
     */
    final class RegexMatcher implements Matcher {
        private final java.util.regex.Pattern pattern;

        RegexMatcher(String regex) {
            try {
                pattern = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new TokenizerFormatException("pre_tokenizer Split pattern is not a valid regex: " + regex, e);
            }
        }

        @Override
        public long find(String text, int at, int to) {
            java.util.regex.Matcher m = pattern.matcher(text).region(at, to);
            return m.find() ? (long) m.start() << 32 | m.end() : -1;
        }
    }
}
