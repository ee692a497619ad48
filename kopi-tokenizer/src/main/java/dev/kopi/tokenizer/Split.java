package dev.kopi.tokenizer;

/**
 * Hugging Face's {@code Split} pre-tokenizer (and the splitting inside {@code ByteLevel}, {@code Digits} and
 * {@code Punctuation}): the piece is cut into the matches of a pattern and the text between them, which the
 * behavior then keeps, drops or merges. {@code invert} swaps what counts as a match before that.
 */
final class Split implements PreTokenizer {
    /** Hugging Face's {@code SplitDelimiterBehavior}. */
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /** Per thread: the matches of the piece, then its segments as (start, end, is match) triples. */
    private static final ThreadLocal<IntList[]> SCRATCH =
            ThreadLocal.withInitial(() -> new IntList[] {new IntList(64), new IntList(192), new IntList(128)});

    private final Matcher matcher;
    private final Behavior behavior;
    private final boolean invert;

    Split(Matcher matcher, Behavior behavior, boolean invert) {
        this.matcher = matcher;
        this.behavior = behavior;
        this.invert = invert;
    }

    /** The common case: every match and every gap between matches is a piece of its own. */
    static Split isolated(Matcher matcher) {
        return new Split(matcher, Behavior.ISOLATED, false);
    }

    @Override
    public void split(String text, int from, int to, IntList pieces) {
        if (to <= from) {
            return;
        }
        IntList[] scratch = SCRATCH.get();
        IntList matches = scratch[0];
        matches.clear();
        matcher.findAll(text, from, to, matches);
        if (behavior == Behavior.ISOLATED) { // the flags do not matter: every segment is a piece
            int previous = from;
            for (int i = 0; i < matches.size(); i += 2) {
                addPiece(pieces, previous, matches.get(i));
                addPiece(pieces, matches.get(i), matches.get(i + 1));
                previous = matches.get(i + 1);
            }
            addPiece(pieces, previous, to);
            return;
        }
        IntList segments = scratch[1];
        segments.clear();
        int previous = from;
        for (int i = 0; i < matches.size(); i += 2) {
            if (matches.get(i) != previous) {
                addSegment(segments, previous, matches.get(i), invert);
            }
            addSegment(segments, matches.get(i), matches.get(i + 1), !invert);
            previous = matches.get(i + 1);
        }
        if (previous != to) {
            addSegment(segments, previous, to, invert);
        }
        IntList merged = scratch[2];
        merged.clear();
        fold(segments, merged);
        for (int i = 0; i < merged.size(); i += 2) {
            addPiece(pieces, merged.get(i), merged.get(i + 1));
        }
    }

    /**
     * Hugging Face's fold of the segments into pieces (as pairs in {@code out}, empty ones included, as there),
     * for every behavior but Isolated.
     */
    private void fold(IntList segments, IntList out) {
        int n = segments.size() / 3;
        switch (behavior) {
            case REMOVED -> {
                for (int k = 0; k < n; k++) {
                    if (!isMatch(segments, k)) {
                        out.add(start(segments, k));
                        out.add(end(segments, k));
                    }
                }
            }
            case CONTIGUOUS, MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int k = 0; k < n; k++) {
                    boolean match = isMatch(segments, k);
                    boolean joins = behavior == Behavior.CONTIGUOUS ? match == previousMatch : match && !previousMatch;
                    if (joins && out.size() > 0) {
                        out.set(out.size() - 1, end(segments, k));
                    } else {
                        out.add(start(segments, k));
                        out.add(end(segments, k));
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_NEXT -> { // Hugging Face folds from the end: a match joins the piece after it
                int pendingStart = -1;
                for (int k = 0; k < n; k++) {
                    boolean joinsNext = isMatch(segments, k) && k + 1 < n && !isMatch(segments, k + 1);
                    if (joinsNext) {
                        pendingStart = start(segments, k);
                        continue;
                    }
                    out.add(pendingStart >= 0 ? pendingStart : start(segments, k));
                    out.add(end(segments, k));
                    pendingStart = -1;
                }
            }
            case ISOLATED -> throw new AssertionError("Isolated is split without folding");
        }
    }

    private static void addSegment(IntList segments, int start, int end, boolean match) {
        segments.add(start);
        segments.add(end);
        segments.add(match ? 1 : 0);
    }

    private static int start(IntList segments, int k) {
        return segments.get(3 * k);
    }

    private static int end(IntList segments, int k) {
        return segments.get(3 * k + 1);
    }

    private static boolean isMatch(IntList segments, int k) {
        return segments.get(3 * k + 2) != 0;
    }

    private static void addPiece(IntList pieces, int start, int end) {
        if (end > start) {
            pieces.add(start);
            pieces.add(end);
        }
    }
}
