package dev.kopi.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder stage: turns the tokens of a sequence back into text. As in Hugging Face, each decoder maps the
 * list of token strings to a new list, and the results are concatenated at the end.
 */
interface Decoder {

    List<String> decodeChain(List<String> tokens);

    /** No decoder: Hugging Face joins the tokens with spaces. */
    Decoder NONE = tokens -> List.of(String.join(" ", tokens));

    /** The bytes the byte-level characters stand for, as one string; invalid UTF-8 becomes U+FFFD. */
    record ByteLevelDecoder() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String token : tokens) {
                bytes.writeBytes(ByteLevel.decode(token));
            }
            return List.of(Utf8.decodeLossy(bytes.toByteArray()));
        }
    }

    /** Replaces a literal in every token (SentencePiece's "▁" back to a space). */
    record Replace(String pattern, String content) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                out.add(token.replace(pattern, content));
            }
            return out;
        }
    }

    /**
     * Turns runs of {@code <0xXX>} tokens into the text of their bytes; a run that is not valid UTF-8 becomes
     * one U+FFFD per byte.
     */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (String token : tokens) {
                int b = byteOf(token);
                if (b >= 0) {
                    run.write(b);
                    continue;
                }
                flush(run, out);
                out.add(token);
            }
            flush(run, out);
            return out;
        }

        static int byteOf(String token) {
            if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
                return -1;
            }
            int hi = Character.digit(token.charAt(3), 16);
            int lo = Character.digit(token.charAt(4), 16);
            return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
        }

        private static void flush(ByteArrayOutputStream run, List<String> out) {
            if (run.size() == 0) {
                return;
            }
            byte[] bytes = run.toByteArray();
            if (Utf8.isValid(bytes, 0, bytes.length)) {
                out.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                for (int i = 0; i < bytes.length; i++) {
                    out.add(String.valueOf(Utf8.REPLACEMENT));
                }
            }
            run.reset();
        }
    }

    /** Joins all tokens into one. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** Removes up to {@code start} leading and {@code stop} trailing occurrences of a character from each token. */
    record Strip(char content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                int from = 0;
                int to = token.length();
                for (int i = 0; i < start && from < to && token.charAt(from) == content; i++) {
                    from++;
                }
                for (int i = 0; i < stop && to > from && token.charAt(to - 1) == content; i++) {
                    to--;
                }
                out.add(token.substring(from, to));
            }
            return out;
        }
    }

    record Sequence(List<Decoder> stages) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder stage : stages) {
                tokens = stage.decodeChain(tokens);
            }
            return tokens;
        }
    }
}
