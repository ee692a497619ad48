package dev.kopi.tokenizer;

import dev.kopi.gguf.GgufFormatException;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.GgufWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer in GGUF metadata, with llama.cpp's keys: {@code tokenizer.ggml.model} ({@code gpt2} for byte-level
 * BPE, {@code llama} for SentencePiece-style BPE), {@code .pre} (the pre-tokenizer by llama.cpp's name: {@code qwen2},
 * {@code llama-bpe}, {@code tekken}..., see {@link LlamaCppPre}), {@code .tokens}, {@code .token_type}, {@code .merges}, {@code .scores}, the special ids, the
 * add-BOS/EOS flags and {@code tokenizer.chat_template}.
 *
 * <p>{@link #write} puts a tokenizer into a {@link GgufWriter} as llama.cpp's {@code convert_hf_to_gguf} does;
 * {@link #read} rebuilds the Hugging Face pipeline from such metadata (normalizer, pre-tokenizer and decoder
 * follow from the model and pre names), so that kopi gives the same ids from the GGUF as from tokenizer.json.
 */
public final class TokenizerGguf {
    private TokenizerGguf() {}

    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String BOS = "tokenizer.ggml.bos_token_id";
    static final String EOS = "tokenizer.ggml.eos_token_id";
    static final String EOT = "tokenizer.ggml.eot_token_id";
    static final String UNK = "tokenizer.ggml.unknown_token_id";
    static final String PAD = "tokenizer.ggml.padding_token_id";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";
    static final String CHAT_TEMPLATE = "tokenizer.chat_template";

    /** llama.cpp's token types. */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    /**
     * Puts {@code tokenizer} into {@code gguf}'s metadata.
     *
     * @throws IllegalArgumentException if the tokenizer has a pre-tokenizer llama.cpp has no name for
     */
    public static GgufWriter write(Tokenizer tokenizer, GgufWriter gguf) {
        Tokenizer.BpeSpec spec = tokenizer.spec();
        Vocabulary vocab = tokenizer.vocabulary();
        int size = vocab.size();
        List<String> tokens = new ArrayList<>(size);
        int[] types = new int[size];
        for (int id = 0; id < size; id++) {
            String token = vocab.token(id);
            tokens.add(token == null ? "[PAD" + id + "]" : token);
            types[id] = token == null ? UNUSED
                    : vocab.isAdded(id) ? (vocab.isSpecial(id) ? CONTROL : USER_DEFINED)
                    : token.equals(spec.unkToken()) ? UNKNOWN
                    : !spec.byteLevel() && Decoder.ByteFallback.byteOf(token) >= 0 ? BYTE
                    : NORMAL;
        }
        List<String> merges = spec.merges().stream().map(m -> m[0] + " " + m[1]).toList();
        if (spec.byteLevel()) {
            LlamaCppPre pre = LlamaCppPre.byDescription(tokenizer.preTokenizerDescription())
                    .orElseThrow(() -> new IllegalArgumentException("llama.cpp has no pre-tokenizer name for "
                            + tokenizer.preTokenizerDescription() + " (kopi names " + LlamaCppPre.names() + ")"));
            gguf.putString(MODEL, "gpt2").putString(PRE, pre.ggufName());
        } else {
            gguf.putString(MODEL, "llama").putString(PRE, "default");
            gguf.putFloat32Array(SCORES, mergeScores(spec, size));
            gguf.putBool(ADD_SPACE_PREFIX, false);
        }
        gguf.putStringArray(TOKENS, tokens);
        gguf.putInt32Array(TOKEN_TYPE, types);
        gguf.putStringArray(MERGES, merges);
        putId(gguf, BOS, tokenizer.bosId());
        putId(gguf, EOS, tokenizer.eosId());
        putId(gguf, UNK, spec.unkToken() == null ? -1 : tokenizer.tokenId(spec.unkToken()));
        putId(gguf, PAD, tokenizer.padId());
        int[] empty = tokenizer.encode("", true);
        gguf.putBool(ADD_BOS, empty.length > 0 && empty[0] == tokenizer.bosId());
        gguf.putBool(ADD_EOS, empty.length > 0 && empty[empty.length - 1] == tokenizer.eosId() && tokenizer.eosId() >= 0);
        if (tokenizer.chatTemplate() != null) {
            gguf.putString(CHAT_TEMPLATE, tokenizer.chatTemplate());
        }
        return gguf;
    }

    /** SentencePiece scores: a token made by merge r scores -r, so earlier merges win; others score 0. */
    private static float[] mergeScores(Tokenizer.BpeSpec spec, int size) {
        float[] scores = new float[size];
        for (int rank = spec.merges().size() - 1; rank >= 0; rank--) {
            String[] m = spec.merges().get(rank);
            scores[spec.vocab().get(m[0] + m[1])] = -rank;
        }
        return scores;
    }

    private static void putId(GgufWriter gguf, String key, int id) {
        if (id >= 0) {
            gguf.putUint32(key, id);
        }
    }

    /**
     * Rebuilds a tokenizer from GGUF metadata.
     *
     * @throws TokenizerFormatException if a key is missing or inconsistent, or the model or pre-tokenizer is unknown
     */
    public static Tokenizer read(GgufMetadata meta) {
        try {
            return readChecked(meta);
        } catch (GgufFormatException e) {
            throw new TokenizerFormatException("GGUF tokenizer: " + e.getMessage(), e);
        }
    }

    private static Tokenizer readChecked(GgufMetadata meta) {
        if (!meta.contains(MODEL)) {
            throw new TokenizerFormatException("the GGUF file has no tokenizer (no " + MODEL + ")");
        }
        String model = meta.getString(MODEL);
        String[] tokens = meta.getStringArray(TOKENS);
        int[] types = meta.findArray(TOKEN_TYPE).isPresent() ? meta.getIntArray(TOKEN_TYPE) : null;
        if (types != null && types.length != tokens.length) {
            throw new TokenizerFormatException(TOKEN_TYPE + " has " + types.length + " entries for " + tokens.length
                    + " tokens");
        }
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        List<AddedToken> added = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? NORMAL : types[id];
            if (type == CONTROL || type == USER_DEFINED || type == UNKNOWN) {
                added.add(new AddedToken(id, tokens[id], false, false, false, false, type != USER_DEFINED));
            }
            vocab.putIfAbsent(tokens[id], id);
        }
        String bosToken = tokenAt(meta, BOS, tokens);
        String eosToken = tokenAt(meta, EOS, tokens);
        String unkToken = tokenAt(meta, UNK, tokens);
        boolean addBos = meta.findBool(ADD_BOS).orElse(false);
        boolean addEos = meta.findBool(ADD_EOS).orElse(false);
        TokenizerConfig config = new TokenizerConfig(bosToken, eosToken, tokenAt(meta, PAD, tokens), unkToken,
                addBos, addEos, meta.findString(CHAT_TEMPLATE).orElse(null));
        PostProcessor post = new PostProcessor.Template(
                addBos && bosToken != null ? new int[] {meta.getInt(BOS)} : new int[0],
                addEos && eosToken != null ? new int[] {meta.getInt(EOS)} : new int[0]);
        return switch (model) {
            case "gpt2" -> {
                String name = meta.findString(PRE).orElse("default");
                LlamaCppPre pre = LlamaCppPre.byName(name).orElseThrow(() -> new TokenizerFormatException(
                        "pre-tokenizer \"" + name + "\" is not supported (kopi knows " + LlamaCppPre.names() + ")"));
                Tokenizer.BpeSpec spec = new Tokenizer.BpeSpec(vocab, merges(meta, vocab, null), true,
                        pre.ignoreMerges(), false, null, false);
                // Qwen's tokenizer.json normalizes to NFC; llama.cpp skips that, kopi follows Hugging Face.
                yield new Tokenizer(spec, added, pre.normalizer(), Stages.preTokenizer(pre.preTokenizer()),
                        Stages.describe(pre.preTokenizer()), post, new Decoder.ByteLevelDecoder(), config);
            }
            case "llama" -> {
                float[] scores = meta.findArray(SCORES).isPresent() ? meta.getFloatArray(SCORES) : null;
                Tokenizer.BpeSpec spec = new Tokenizer.BpeSpec(vocab, merges(meta, vocab, scores), false, false,
                        true, unkToken, true);
                boolean spacePrefix = meta.findBool(ADD_SPACE_PREFIX).orElse(true);
                Normalizer replace = new Normalizer.Replace(" ", "\u2581");
                Normalizer normalizer = spacePrefix
                        ? new Normalizer.Sequence(List.of(new Normalizer.Prepend("\u2581"), replace)) : replace;
                List<Decoder> decoders = new ArrayList<>(List.of(new Decoder.Replace("\u2581", " "),
                        new Decoder.ByteFallback(), new Decoder.Fuse()));
                if (spacePrefix) {
                    decoders.add(new Decoder.Strip(' ', 1, 0));
                }
                yield new Tokenizer(spec, added, normalizer, PreTokenizer.WHOLE, "", post,
                        new Decoder.Sequence(decoders), config);
            }
            default -> throw new TokenizerFormatException("tokenizer model \"" + model + "\" is not supported"
                    + " (kopi reads gpt2 and llama)");
        };
    }

    private static String tokenAt(GgufMetadata meta, String key, String[] tokens) {
        if (!meta.contains(key)) {
            return null;
        }
        int id = meta.getInt(key);
        if (id < 0 || id >= tokens.length) {
            throw new TokenizerFormatException(key + " = " + id + " is not a token id (there are " + tokens.length + ")");
        }
        return tokens[id];
    }

    /**
     * The merges in rank order: from {@code tokenizer.ggml.merges}, or, for a SentencePiece model without them,
     * every split of every token into two tokens, ranked by the merged token's score (higher first) as Hugging
     * Face's converter does.
     */
    private static List<String[]> merges(GgufMetadata meta, Map<String, Integer> vocab, float[] scores) {
        if (meta.findArray(MERGES).isPresent()) {
            String[] lines = meta.getStringArray(MERGES);
            List<String[]> merges = new ArrayList<>(lines.length);
            for (int i = 0; i < lines.length; i++) {
                int space = lines[i].indexOf(' ', 1);
                if (space < 0) {
                    throw new TokenizerFormatException(MERGES + "[" + i + "] \"" + lines[i] + "\" is not two tokens");
                }
                merges.add(new String[] {lines[i].substring(0, space), lines[i].substring(space + 1)});
            }
            return merges;
        }
        if (scores == null) {
            throw new TokenizerFormatException("the GGUF tokenizer has neither " + MERGES + " nor " + SCORES);
        }
        record Candidate(String left, String right, float score, int mergedId) {}
        List<Candidate> candidates = new ArrayList<>();
        vocab.forEach((token, id) -> {
            for (int cut = 1; cut < token.length(); cut++) {
                if (Character.isLowSurrogate(token.charAt(cut))) {
                    continue;
                }
                String left = token.substring(0, cut);
                String right = token.substring(cut);
                if (vocab.containsKey(left) && vocab.containsKey(right)) {
                    candidates.add(new Candidate(left, right, scores[id], id));
                }
            }
        });
        candidates.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score)
                : a.mergedId != b.mergedId ? Integer.compare(a.mergedId, b.mergedId)
                : Integer.compare(vocab.get(a.left), vocab.get(b.left)));
        return candidates.stream().map(c -> new String[] {c.left, c.right}).toList();
    }
}
