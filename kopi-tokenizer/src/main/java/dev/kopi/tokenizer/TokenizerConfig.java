package dev.kopi.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code tokenizer_config.json} adds to tokenizer.json: the names of the special tokens, whether the model
 * wants BOS/EOS added, and the chat template. (Encoding follows tokenizer.json's post-processor, as Hugging
 * Face's tokenizers library does; these settings are for the chat and generation layers and for GGUF.)
 */
public record TokenizerConfig(String bosToken, String eosToken, String padToken, String unkToken,
        Boolean addBosToken, Boolean addEosToken, String chatTemplate) {

    static final TokenizerConfig NONE = new TokenizerConfig(null, null, null, null, null, null, null);

    static TokenizerConfig read(JsonNode node) {
        if (!node.isObject()) {
            throw new TokenizerFormatException("the file does not hold a JSON object");
        }
        return new TokenizerConfig(tokenName(node.get("bos_token")), tokenName(node.get("eos_token")),
                tokenName(node.get("pad_token")), tokenName(node.get("unk_token")), flag(node.get("add_bos_token")),
                flag(node.get("add_eos_token")), chatTemplate(node.get("chat_template")));
    }

    /** A special token is written either as its text or as an AddedToken object with "content". */
    private static String tokenName(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isObject() ? TokenizerJson.text(node.get("content")) : node.asText();
    }

    private static Boolean flag(JsonNode node) {
        return node == null || node.isNull() ? null : node.asBoolean();
    }

    /** The default template; a list of named templates gives the one named "default". */
    private static String chatTemplate(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            for (JsonNode t : node) {
                if ("default".equals(t.path("name").asText())) {
                    return t.path("template").asText();
                }
            }
            return null;
        }
        return node.asText();
    }
}
