package dev.kopi.tokenizer;

import java.util.Arrays;

/**
 * Decodes ids as a model generates them, one at a time, and returns only text that is final: never half a
 * UTF-8 sequence (bytes of a character split over tokens are held until it completes) and never text a later
 * token could still change (such as SentencePiece's leading space, which depends on what comes before).
 *
 * <p>It decodes a short window of recent ids and emits what the window adds to the text decoded so far, as
 * Hugging Face's {@code DecodeStream} does, so that the concatenated output equals {@link Tokenizer#decode}.
 * Not thread-safe: one per generated sequence.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[16];
    private int size;
    /** Start of the ids whose text was already emitted but that still give context to the next ones. */
    private int prefixStart;
    /** Start of the ids whose text is not yet emitted. */
    private int readStart;
    private String prefixText = "";

    StreamingDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /**
     * Adds the next id and returns the text it completes, possibly empty.
     *
     * @throws IllegalArgumentException if the id is not in the vocabulary
     */
    public String next(int id) {
        if (tokenizer.token(id) == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (size "
                    + tokenizer.vocabSize() + ")");
        }
        if (size == ids.length) {
            compact();
        }
        ids[size++] = id;
        String text = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, size), skipSpecialTokens);
        if (text.length() <= prefixText.length() || text.endsWith("\uFFFD") || !text.startsWith(prefixText)) {
            return "";
        }
        String fresh = text.substring(prefixText.length());
        prefixStart = readStart;
        readStart = size;
        prefixText = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, size), skipSpecialTokens);
        return fresh;
    }

    /** The text still held back (an incomplete character decodes as U+FFFD); the stream is then empty. */
    public String flush() {
        String text = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, size), skipSpecialTokens);
        String rest = text.startsWith(prefixText) ? text.substring(prefixText.length()) : text;
        size = 0;
        prefixStart = 0;
        readStart = 0;
        prefixText = "";
        return rest;
    }

    /** Drops the ids before the context window. */
    private void compact() {
        int keep = size - prefixStart;
        if (keep == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
            return;
        }
        System.arraycopy(ids, prefixStart, ids, 0, keep);
        readStart -= prefixStart;
        prefixStart = 0;
        size = keep;
    }
}
