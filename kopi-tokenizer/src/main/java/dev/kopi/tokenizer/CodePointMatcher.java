package dev.kopi.tokenizer;

import java.util.function.IntPredicate;

/**
 * Matches every character that satisfies a predicate, each one a match of its own, as Hugging Face splits on a
 * {@code Fn(char) -> bool} pattern (the {@code Digits} and {@code Punctuation} pre-tokenizers).
 */
record CodePointMatcher(IntPredicate predicate) implements PreTokenizer.Matcher {
    @Override
    public void findAll(String text, int from, int to, IntList matches) {
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (predicate.test(cp)) {
                matches.add(i);
                matches.add(next);
            }
            i = next;
        }
    }
}
