package dev.kopi.engine.generate;

import java.util.List;

/**
 * Finds stop strings in streamed text that arrives in arbitrary pieces (a stop string may span several
 * tokens). Text is released only once it can no longer be the start of a stop string, so a caller never shows
 * the beginning of a stop string it later cuts off.
 */
public final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStrings(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string cannot be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /**
     * Adds {@code piece} and returns the text that is now safe to emit. After a stop string completes, returns
     * the text before it and {@link #stopped()} turns true; later pieces are ignored.
     */
    public String feed(String piece) {
        if (stopped) {
            return "";
        }
        pending.append(piece);
        int earliest = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        if (earliest >= 0) {
            stopped = true;
            String out = pending.substring(0, earliest);
            pending.setLength(0);
            return out;
        }
        int keep = longestStopPrefixSuffix();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** Text held back because it might have begun a stop string; call when generation ends without one. */
    public String flush() {
        String out = pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Whether a stop string was seen. */
    public boolean stopped() {
        return stopped;
    }

    /** Length of the longest end of the pending text that could begin a stop string. */
    private int longestStopPrefixSuffix() {
        int best = 0;
        for (String s : stops) {
            best = Math.max(best, PartialMatch.suffixPrefix(pending, s));
        }
        return best;
    }
}
