package dev.kopi.engine.generate;

/** Streaming text helpers: how much of a buffer's end might be the beginning of a marker still to come. */
final class PartialMatch {
    private PartialMatch() {
    }

    /** Length of the longest end of {@code text} that is a proper prefix of {@code marker} (0 if none). */
    static int suffixPrefix(CharSequence text, String marker) {
        for (int len = Math.min(marker.length() - 1, text.length()); len > 0; len--) {
            if (endsWith(text, marker, len)) {
                return len;
            }
        }
        return 0;
    }

    private static boolean endsWith(CharSequence text, String marker, int len) {
        int start = text.length() - len;
        for (int i = 0; i < len; i++) {
            if (text.charAt(start + i) != marker.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
