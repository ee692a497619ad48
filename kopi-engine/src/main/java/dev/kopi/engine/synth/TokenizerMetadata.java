package dev.kopi.engine.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A byte-level BPE tokenizer ({@code tokenizer.json} + {@code tokenizer_config.json}) as llama.cpp's converter
 * stores it in GGUF metadata: the token list padded to the model's vocabulary with {@code [PADn]} entries,
 * token types (special added tokens and those that look special are CONTROL, other added tokens USER_DEFINED),
 * the merges, the special token ids and the chat template.
 */
final class TokenizerMetadata {
    private static final int NORMAL = 1, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5;

    private TokenizerMetadata() {}

    /**
     * Adds the tokenizer in {@code source} (a folder, or its tokenizer.json) to {@code out}.
     *
     * @param vocab the model's vocabulary size; the token list is padded to it
     * @param pre   llama.cpp's pre-tokenizer name, e.g. {@code qwen2}
     */
    static void add(GgufOutput out, Path source, int vocab, String pre) throws IOException {
        Path json = Files.isDirectory(source) ? source.resolve("tokenizer.json") : source;
        Path config = json.resolveSibling("tokenizer_config.json");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tokenizer = read(mapper, json);
        JsonNode model = tokenizer.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(json + " is not a BPE tokenizer");
        }
        String[] tokens = new String[vocab];
        int[] types = new int[vocab];
        model.path("vocab").properties().forEach(e -> put(tokens, types, e.getValue().asInt(), e.getKey(), NORMAL, json));
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode added : tokenizer.path("added_tokens")) {
            String content = added.path("content").asText();
            boolean special = added.path("special").asBoolean() || looksSpecial(content);
            put(tokens, types, added.path("id").asInt(), content, special ? CONTROL : USER_DEFINED, json);
            ids.put(content, added.path("id").asInt());
        }
        List<String> tokenList = new ArrayList<>(vocab);
        List<Integer> typeList = new ArrayList<>(vocab);
        for (int i = 0; i < vocab; i++) {
            tokenList.add(tokens[i] != null ? tokens[i] : "[PAD" + i + "]");
            typeList.add(tokens[i] != null ? types[i] : UNUSED);
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode merge : model.path("merges")) {
            merges.add(merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText());
        }
        out.putString("tokenizer.ggml.model", "gpt2");
        out.putString("tokenizer.ggml.pre", pre);
        out.putStrings("tokenizer.ggml.tokens", tokenList);
        out.putInt32s("tokenizer.ggml.token_type", typeList);
        out.putStrings("tokenizer.ggml.merges", merges);
        if (Files.exists(config)) {
            JsonNode c = read(mapper, config);
            putId(out, "tokenizer.ggml.eos_token_id", c.path("eos_token"), ids);
            putId(out, "tokenizer.ggml.padding_token_id", c.path("pad_token"), ids);
            // Qwen's config.json names <|endoftext|> the BOS token even though tokenizer_config.json has none.
            JsonNode bos = c.path("bos_token").isTextual() ? c.path("bos_token") : c.path("pad_token");
            putId(out, "tokenizer.ggml.bos_token_id", bos, ids);
            out.putBool("tokenizer.ggml.add_bos_token", c.path("add_bos_token").asBoolean(false));
            if (c.path("chat_template").isTextual()) {
                out.putString("tokenizer.chat_template", c.path("chat_template").asText());
            }
        }
    }

    private static void put(String[] tokens, int[] types, int id, String token, int type, Path json) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException(json + " has token id " + id + " outside the model's vocabulary of "
                    + tokens.length);
        }
        tokens[id] = token;
        types[id] = type;
    }

    private static void putId(GgufOutput out, String key, JsonNode token, Map<String, Integer> ids) {
        String content = token.isTextual() ? token.asText() : token.path("content").asText(null);
        if (content != null && ids.containsKey(content)) {
            out.putUInt32(key, ids.get(content));
        }
    }

    /** The converter's {@code does_token_look_special}. */
    private static boolean looksSpecial(String token) {
        return token.equals("<pad>") || token.equals("<mask>") || token.equals("<2mass>") || token.equals("[@BOS@]")
                || (token.startsWith("<|") && token.endsWith("|>"))
                || (token.startsWith("<｜") && token.endsWith("｜>"))
                || (token.startsWith("<unused") && token.endsWith(">"));
    }

    private static JsonNode read(ObjectMapper mapper, Path file) throws IOException {
        try {
            return mapper.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
