package dev.kopi.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * A BPE tokenizer with Hugging Face's pipeline: added tokens are found on the raw text; the text between them
 * is normalized, pre-tokenized into words and encoded by the BPE model; the post-processor adds the special
 * tokens the model expects. Decoding runs the decoder stages on the tokens of the ids.
 *
 * <p>Load one with {@link Tokenizers#load}. Immutable and safe to use from many threads.
 */
public final class Tokenizer {
    /**
     * The BPE model as configured: the vocabulary, the merges in rank order, and its options. Kept whole so
     * that the tokenizer can be written to GGUF.
     */
    record BpeSpec(Map<String, Integer> vocab, List<String[]> merges, boolean byteLevel, boolean ignoreMerges,
            boolean byteFallback, String unkToken, boolean fuseUnk) {}

    private final BpeSpec spec;
    private final List<AddedToken> addedTokens;
    private final String preTokenizerDescription;
    private final Vocabulary vocabulary;
    private final AddedTokenMatcher rawAddedTokens;
    private final AddedTokenMatcher normalizedAddedTokens;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Bpe model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final TokenizerConfig config;

    /**
     * Assembles the pipeline. {@code preTokenizerDescription} says what the pre-tokenizer does
     * ({@link Stages#describe}), which names it in GGUF.
     */
    Tokenizer(BpeSpec spec, List<AddedToken> addedTokens, Normalizer normalizer, PreTokenizer preTokenizer,
            String preTokenizerDescription, PostProcessor postProcessor, Decoder decoder, TokenizerConfig config) {
        this.spec = spec;
        this.addedTokens = List.copyOf(addedTokens);
        this.preTokenizerDescription = preTokenizerDescription;
        this.vocabulary = new Vocabulary(spec.vocab(), addedTokens);
        this.rawAddedTokens = new AddedTokenMatcher(addedTokens.stream().filter(t -> !t.normalized()).toList(),
                content -> content);
        this.normalizedAddedTokens = new AddedTokenMatcher(addedTokens.stream().filter(AddedToken::normalized).toList(),
                normalizer::normalize);
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        int unkId = -1;
        if (spec.unkToken() != null) {
            Integer id = spec.vocab().get(spec.unkToken());
            if (id == null) {
                throw new TokenizerFormatException("unk_token \"" + spec.unkToken() + "\" is not in the vocabulary");
            }
            unkId = id;
        }
        this.model = new Bpe(spec.vocab(), TokenizerJson.mergeTable(spec.vocab(), spec.merges()), spec.byteLevel(),
                spec.ignoreMerges(), spec.byteFallback(), unkId, spec.fuseUnk());
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.config = config;
    }

    /** Reads the tokenizer stored in a GGUF model's metadata (see {@link TokenizerGguf}). */
    public static Tokenizer fromGguf(dev.kopi.gguf.GgufFile gguf) {
        return TokenizerGguf.read(gguf.metadata());
    }

    /** The ids of {@code text} with the special tokens of the post-processor, as Hugging Face's {@code encode(text)}. */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * The ids of {@code text}; {@code addSpecialTokens} adds the post-processor's tokens (BOS for Gemma and
     * Llama 3.1, nothing for Qwen). Added tokens written in the text are always recognised.
     *
     * <p>Text with unpaired surrogates, which a Rust string cannot hold, is read as Hugging Face receives it
     * through DJL: every surrogate unit becomes U+FFFD U+FFFD U+FFFD (see docs/tokenizers.md).
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        String clean = Utf8.asRustString(text);
        IntList ids = new IntList(clean.length() / 2 + 8);
        IntList pieces = new IntList(128);
        rawAddedTokens.split(clean, 0, clean.length(), (start, end, token) -> {
            if (token != null) {
                ids.add(token.id());
            } else {
                encodePlain(clean, start, end, ids, pieces);
            }
        });
        return postProcessor.process(ids.toArray(), addSpecialTokens);
    }

    /** Encodes text that holds no raw added token: normalize, find normalized added tokens, split, BPE. */
    private void encodePlain(String text, int from, int to, IntList ids, IntList pieces) {
        String normalized = text;
        if (normalizer != Normalizer.NONE) {
            normalized = normalizer.normalize(text.substring(from, to));
            from = 0;
            to = normalized.length();
        }
        String words = normalized;
        normalizedAddedTokens.split(words, from, to, (start, end, token) -> {
            if (token != null) {
                ids.add(token.id());
                return;
            }
            pieces.clear();
            preTokenizer.split(words, start, end, pieces);
            for (int i = 0; i < pieces.size(); i += 2) {
                model.encodeWord(words, pieces.get(i), pieces.get(i + 1), ids);
            }
        });
    }

    /** The ids of each text, encoded on all cores. */
    public List<int[]> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        int[][] out = new int[texts.size()][];
        ForkJoinPool.commonPool().submit(() -> IntStream.range(0, texts.size()).parallel()
                .forEach(i -> out[i] = encode(texts.get(i), addSpecialTokens))).join();
        return List.of(out);
    }

    /** The text of {@code ids}, special tokens included, as Hugging Face's {@code decode(ids)}. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The text of {@code ids}; {@code skipSpecialTokens} leaves out the special tokens.
     *
     * @throws IllegalArgumentException if an id is not a token of this vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = vocabulary.token(id);
            if (token == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (size "
                        + vocabulary.size() + ")");
            }
            if (!(skipSpecialTokens && vocabulary.isSpecial(id))) {
                tokens.add(token);
            }
        }
        return String.join("", decoder.decodeChain(tokens));
    }

    /** A decoder for ids produced one at a time; see {@link StreamingDecoder}. */
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(this, skipSpecialTokens);
    }

    /** The number of ids, model vocabulary and added tokens together (one more than the largest id). */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of a token given as its text (as the vocabulary writes it), or -1 when there is none. */
    public int tokenId(String token) {
        return vocabulary.id(token);
    }

    /** The text of token {@code id} as the vocabulary writes it (byte-level characters, "▁"...), or null. */
    public String token(int id) {
        return vocabulary.token(id);
    }

    /** Whether {@code id} is a special added token (skipped by {@code decode(ids, true)}). */
    public boolean isSpecial(int id) {
        return id >= 0 && id < vocabulary.size() && vocabulary.isSpecial(id);
    }

    /** Whether {@code id} is an added token (matched on raw text), special or not. */
    public boolean isAdded(int id) {
        return id >= 0 && id < vocabulary.size() && vocabulary.isAdded(id);
    }

    /** The beginning-of-sequence id from tokenizer_config.json, or -1. */
    public int bosId() {
        return idOf(config.bosToken());
    }

    /** The end-of-sequence id from tokenizer_config.json, or -1. */
    public int eosId() {
        return idOf(config.eosToken());
    }

    /** The padding id from tokenizer_config.json, or -1. */
    public int padId() {
        return idOf(config.padToken());
    }

    /**
     * The id that ends a chat turn: {@code <|eot_id|>} (Llama 3), {@code <|im_end|>} (Qwen),
     * {@code <end_of_turn>} (Gemma), else the end-of-sequence id; -1 if there is none.
     */
    public int eotId() {
        for (String name : List.of("<|eot_id|>", "<|im_end|>", "<end_of_turn>")) {
            int id = tokenId(name);
            if (id >= 0) {
                return id;
            }
        }
        return eosId();
    }

    /** The chat template (Jinja) from tokenizer_config.json or GGUF metadata, or null. */
    public String chatTemplate() {
        return config.chatTemplate();
    }

    /** The settings of tokenizer_config.json (or their GGUF equivalents). */
    public TokenizerConfig config() {
        return config;
    }

    /** Whether encoding with special tokens puts a BOS id first (from the post-processor). */
    public boolean addsBos() {
        int[] ids = encode("", true);
        return ids.length > 0 && ids[0] == bosId();
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    BpeSpec spec() {
        return spec;
    }

    List<AddedToken> addedTokens() {
        return addedTokens;
    }

    String preTokenizerDescription() {
        return preTokenizerDescription;
    }

    private int idOf(String token) {
        return token == null ? -1 : tokenId(token);
    }
}
