package dev.kopi.tokenizer;

import java.util.List;

/** The normalizer stage: rewrites the text between added tokens before it is pre-tokenized. */
interface Normalizer {

    String normalize(String text);

    Normalizer NONE = text -> text;

    /** A Unicode normalization form (NFC, NFD, NFKC, NFKD). */
    record UnicodeForm(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            // Text below U+0300 (no combining mark, nothing that composes or decomposes in NFC) is already
            // NFC: the quick check that spares code, English and Malay a call into the normalizer.
            if (form == java.text.Normalizer.Form.NFC && belowCombiningMarks(text)) {
                return text;
            }
            return Unicode9.normalize(text, form);
        }

        private static boolean belowCombiningMarks(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= 0x300) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Replaces every occurrence of a literal string. */
    record Replace(String pattern, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.replace(pattern, content);
        }
    }

    /** Replaces every match of a regular expression (Hugging Face's Replace with a Regex pattern). */
    record RegexReplace(java.util.regex.Pattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            return pattern.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(content));
        }
    }

    /** Puts a prefix before non-empty text (SentencePiece's dummy prefix "▁"). */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Sequence(List<Normalizer> stages) implements Normalizer {
        @Override
        public String normalize(String text) {
            for (Normalizer stage : stages) {
                text = stage.normalize(text);
            }
            return text;
        }
    }
}
