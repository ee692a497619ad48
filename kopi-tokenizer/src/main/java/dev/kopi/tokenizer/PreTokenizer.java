package dev.kopi.tokenizer;

import java.util.List;

/**
 * The pre-tokenizer stage: cuts normalized text into the pieces ("words") that the model encodes one by one.
 * Pieces are reported by their start and end offsets so that no substring is made on the hot path; they are in
 * order and do not overlap, but need not cover the text (a Split that removes its delimiters drops them).
 */
interface PreTokenizer {

    /** Appends to {@code pieces} the start and end offset of each non-empty piece of {@code text[from, to)}. */
    void split(String text, int from, int to, IntList pieces);

    /** Leaves the text whole; the stage of tokenizers without a pre-tokenizer, and of ByteLevel without regex. */
    PreTokenizer WHOLE = (text, from, to, pieces) -> {
        if (to > from) {
            pieces.add(from);
            pieces.add(to);
        }
    };

    /** Pre-tokenizers applied in turn, each to every piece of the one before. */
    record Sequence(List<PreTokenizer> stages) implements PreTokenizer {
        @Override
        public void split(String text, int from, int to, IntList pieces) {
            IntList current = new IntList(16);
            WHOLE.split(text, from, to, current);
            for (PreTokenizer stage : stages) {
                IntList next = new IntList(current.size() * 2);
                for (int i = 0; i < current.size(); i += 2) {
                    stage.split(text, current.get(i), current.get(i + 1), next);
                }
                current = next;
            }
            for (int i = 0; i < current.size(); i++) {
                pieces.add(current.get(i));
            }
        }
    }

    /** Finds the delimiters of a {@link Split}. */
    interface Matcher {
        /**
         * Appends the start and end offset of every match in the piece {@code text[from, to)}, in order, as
         * Hugging Face finds them: Oniguruma's leftmost-first search run on the piece alone (lookarounds and
         * anchors end at its edges), resumed at the end of each match, an empty match right where the
         * previous one ended being skipped.
         */
        void findAll(String text, int from, int to, IntList matches);
    }
}
