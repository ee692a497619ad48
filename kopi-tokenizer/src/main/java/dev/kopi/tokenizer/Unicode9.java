package dev.kopi.tokenizer;

/**
 * Hugging Face tokenizers normalizes with the tables of Unicode 9.0 (its crate
 * {@code unicode-normalization-alignments}); Java has those of a much later version. Characters assigned since
 * 9.0 are unknown there, so they neither decompose, compose nor move: for example Lao U+0EBA, whose combining
 * class 9 makes Java put it before tone marks that Hugging Face leaves in front of it. Unicode's stability
 * policy guarantees that characters of 9.0 normalize the same in every later version, so kopi gets Hugging
 * Face's result by normalizing the text between the characters below and leaving those as they are.
 *
 * <p>The table lists the code points assigned after Unicode 9.0 that are not normalization-inert in some form
 * (non-zero combining class, a decomposition, or composing with a neighbour); a test recomputes it with ICU.
 */
final class Unicode9 {
    private Unicode9() {}

    /** Inclusive ranges, sorted. */
    static final int[] NEW_NON_INERT = {
        0x07FD, 0x07FD, 0x0897, 0x089F, 0x08CA, 0x08D3, 0x09FE, 0x09FE, 0x0C3C, 0x0C3C, 0x0D3B, 0x0D3C,
        0x0EBA, 0x0EBA, 0x1715, 0x1715, 0x1ABF, 0x1ACE, 0x1DF6, 0x1DFA, 0x32FF, 0x32FF, 0xA7F2, 0xA7F4,
        0xA82C, 0xA82C, 0xAB69, 0xAB69, 0x105C9, 0x105C9, 0x105D2, 0x105D2, 0x105DA, 0x105DA, 0x105E4,
        0x105E4, 0x10781, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10D24, 0x10D27, 0x10D69, 0x10D6D,
        0x10EAB, 0x10EAC, 0x10EFD, 0x10EFF, 0x10F46, 0x10F50, 0x10F82, 0x10F85, 0x11070, 0x11070, 0x1133B,
        0x1133B, 0x11382, 0x11385, 0x1138B, 0x1138B, 0x1138E, 0x1138E, 0x11390, 0x11391, 0x113B8, 0x113B8,
        0x113BB, 0x113BB, 0x113C2, 0x113C2, 0x113C5, 0x113C5, 0x113C7, 0x113C9, 0x113CE, 0x113D0, 0x1145E,
        0x1145E, 0x11839, 0x1183A, 0x11930, 0x11930, 0x11935, 0x11935, 0x11938, 0x11938, 0x1193D, 0x1193E,
        0x11943, 0x11943, 0x119E0, 0x119E0, 0x11A34, 0x11A34, 0x11A47, 0x11A47, 0x11A99, 0x11A99, 0x11D42,
        0x11D42, 0x11D44, 0x11D45, 0x11D97, 0x11D97, 0x11F41, 0x11F42, 0x1611E, 0x16129, 0x1612F, 0x1612F,
        0x16D63, 0x16D63, 0x16D67, 0x16D6A, 0x16FF0, 0x16FF1, 0x1CCD6, 0x1CCF9, 0x1E030, 0x1E06D, 0x1E08F,
        0x1E08F, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E5EE, 0x1E5EF,
        0x1F16C, 0x1F16C, 0x1FBF0, 0x1FBF9,
    };

    /** The same for the BMP as a bit set, for the check on every character. */
    private static final long[] BMP = new long[0x10000 / 64];

    static {
        for (int r = 0; r < NEW_NON_INERT.length; r += 2) {
            for (int cp = NEW_NON_INERT[r]; cp <= NEW_NON_INERT[r + 1] && cp < 0x10000; cp++) {
                BMP[cp >>> 6] |= 1L << cp;
            }
        }
    }

    static boolean isNewNonInert(int cp) {
        if (cp < 0x10000) {
            return (BMP[cp >>> 6] & 1L << cp) != 0;
        }
        int lo = 0;
        int hi = NEW_NON_INERT.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < NEW_NON_INERT[2 * mid]) {
                hi = mid - 1;
            } else if (cp > NEW_NON_INERT[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** {@code text} in {@code form} as Hugging Face computes it with Unicode 9.0 tables. */
    static String normalize(String text, java.text.Normalizer.Form form) {
        StringBuilder out = null;
        int pieceStart = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (isNewNonInert(cp)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16);
                }
                out.append(java.text.Normalizer.normalize(text.substring(pieceStart, i), form));
                out.appendCodePoint(cp);
                pieceStart = i + width;
            }
            i += width;
        }
        if (out == null) {
            return java.text.Normalizer.normalize(text, form);
        }
        return out.append(java.text.Normalizer.normalize(text.substring(pieceStart), form)).toString();
    }
}
