package dev.kopi.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers with Rust's rules, so that text crossing the Java/Rust boundary matches Hugging Face. */
final class Utf8 {
    private Utf8() {}

    static final char REPLACEMENT = '\uFFFD';

    /**
     * {@code bytes} as text, each maximal invalid subsequence replaced by U+FFFD, exactly as Rust's
     * {@code String::from_utf8_lossy} does (the Unicode "maximal subpart" practice).
     */
    static String decodeLossy(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) lo = 0xA0;
                if (b0 == 0xED) hi = 0x9F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) lo = 0x90;
                if (b0 == 0xF4) hi = 0x8F;
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> need);
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < need; k++, j++) {
                int b = j < to ? bytes[j] & 0xFF : -1;
                if (b < (k == 0 ? lo : 0x80) || b > (k == 0 ? hi : 0xBF)) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (complete) {
                out.appendCodePoint(cp);
            } else {
                out.append(REPLACEMENT);
            }
            i = j;
        }
        return out.toString();
    }

    static String decodeLossy(byte[] bytes) {
        return decodeLossy(bytes, 0, bytes.length);
    }

    /** Whether {@code bytes[from, to)} are valid UTF-8 as a whole. */
    static boolean isValid(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The text that Hugging Face's Rust code receives for a Java string: the string itself when it is valid
     * UTF-16, which is the common case and returned as is. A string with an unpaired surrogate cannot become a
     * Rust {@code String}; DJL (the Java binding of Hugging Face tokenizers) passes its JNI "modified UTF-8" and
     * Rust reads those bytes lossily, so every UTF-16 surrogate unit, paired or not, becomes three U+FFFD and a
     * NUL becomes two. kopi reads such text the same way so that its ids match.
     */
    static String asRustString(String text) {
        if (!hasLoneSurrogate(text)) {
            return text;
        }
        java.io.ByteArrayOutputStream modified = new java.io.ByteArrayOutputStream(text.length() * 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != 0 && c < 0x80) {
                modified.write(c);
            } else if (c < 0x800) {
                modified.write(0xC0 | c >> 6);
                modified.write(0x80 | c & 0x3F);
            } else {
                modified.write(0xE0 | c >> 12);
                modified.write(0x80 | c >> 6 & 0x3F);
                modified.write(0x80 | c & 0x3F);
            }
        }
        return decodeLossy(modified.toByteArray());
    }

    private static boolean hasLoneSurrogate(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }
}
