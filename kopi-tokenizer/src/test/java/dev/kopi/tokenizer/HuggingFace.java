package dev.kopi.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The oracle: Hugging Face {@code tokenizers} (Rust) through DJL, set up like {@code Tokenizer.encode(text)} in
 * Python: special tokens added by the post-processor, no truncation, no padding. Built from the stream of the
 * tokenizer.json alone so that DJL's own reading of tokenizer_config.json changes nothing.
 */
final class HuggingFace {
    private HuggingFace() {}

    static HuggingFaceTokenizer open(Path tokenizerJson) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in,
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
            if (!tokenizer.getTruncation().equals("DO_NOT_TRUNCATE") || !tokenizer.getPadding().equals("DO_NOT_PAD")) {
                throw new AssertionError("DJL tokenizer truncates or pads: " + tokenizer.getTruncation() + ", "
                        + tokenizer.getPadding());
            }
            return tokenizer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hugging Face's ids of {@code text}, with special tokens as {@code encode(text)} does. */
    static int[] encode(HuggingFaceTokenizer tokenizer, String text) {
        long[] ids = tokenizer.encode(text, true, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    static String decode(HuggingFaceTokenizer tokenizer, int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }
}
