package dev.kopi.tokenizer;

/**
 * A token matched on the text before the model sees it, with Hugging Face's flags: {@code singleWord} (only
 * when not inside a word), {@code lstrip}/{@code rstrip} (absorb the white space on that side),
 * {@code normalized} (matched on normalized rather than raw text) and {@code special} (dropped by
 * {@code skipSpecialTokens} when decoding).
 */
public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
        boolean normalized, boolean special) {

    public AddedToken {
        if (content.isEmpty()) {
            throw new TokenizerFormatException("added token " + id + " has empty content");
        }
    }
}
