package dev.kopi.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Hugging Face's {@code tokenizer.json} (and, beside it, {@code tokenizer_config.json}) into the stages of
 * a {@link Tokenizer}. The model's vocabulary and merges, most of the file, are streamed; the small stage
 * configurations are read as trees. Anything kopi cannot honour exactly is an error naming it, never a guess.
 */
final class TokenizerJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenizerJson() {}

    static Tokenizer load(Path tokenizerJson) throws IOException {
        Spec spec;
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            spec = read(in);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(tokenizerJson + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        } catch (TokenizerFormatException e) {
            throw new TokenizerFormatException(tokenizerJson + ": " + e.getMessage(), e);
        }
        Path configFile = tokenizerJson.resolveSibling("tokenizer_config.json");
        TokenizerConfig config = TokenizerConfig.NONE;
        if (Files.isRegularFile(configFile)) {
            try {
                config = TokenizerConfig.read(MAPPER.readTree(configFile.toFile()));
            } catch (JsonProcessingException e) {
                throw new TokenizerFormatException(configFile + " is not valid JSON: " + e.getOriginalMessage(), e);
            } catch (TokenizerFormatException e) {
                throw new TokenizerFormatException(configFile + ": " + e.getMessage(), e);
            }
        }
        try {
            return spec.build(config);
        } catch (TokenizerFormatException e) {
            throw new TokenizerFormatException(tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** The parts of tokenizer.json, as read. */
    static final class Spec {
        final Map<String, JsonNode> sections = new HashMap<>();
        final Map<String, JsonNode> modelOptions = new LinkedHashMap<>();
        Map<String, Integer> vocab;
        List<String[]> merges;
        boolean sawModel;

        Tokenizer build(TokenizerConfig config) {
            if (!sawModel) {
                throw new TokenizerFormatException("no \"model\" section");
            }
            String type = text(modelOptions.get("type"));
            if (type == null && vocab != null && merges != null) {
                type = "BPE"; // old files omit the type of a BPE model
            }
            if (!"BPE".equals(type)) {
                throw new TokenizerFormatException("model type " + (type == null ? "(missing)" : "\"" + type + "\"")
                        + " is not supported (kopi reads BPE models)");
            }
            if (vocab == null) {
                throw new TokenizerFormatException("the BPE model has no \"vocab\"");
            }
            if (merges == null) {
                throw new TokenizerFormatException("the BPE model has no \"merges\"");
            }
            requireEmpty("continuing_subword_prefix");
            requireEmpty("end_of_word_suffix");
            JsonNode dropout = modelOptions.get("dropout");
            if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0) {
                throw new TokenizerFormatException("BPE dropout is not supported (it makes encoding random)");
            }
            List<AddedToken> added = addedTokens(sections.get("added_tokens"), vocab);
            Tokenizer.BpeSpec bpe = new Tokenizer.BpeSpec(vocab, merges, Stages.isByteLevel(sections.get("pre_tokenizer")),
                    bool(modelOptions.get("ignore_merges")), bool(modelOptions.get("byte_fallback")),
                    text(modelOptions.get("unk_token")), bool(modelOptions.get("fuse_unk")));
            return new Tokenizer(bpe, added, Stages.normalizer(sections.get("normalizer")),
                    Stages.preTokenizer(sections.get("pre_tokenizer")), Stages.describe(sections.get("pre_tokenizer")),
                    Stages.postProcessor(sections.get("post_processor")), Stages.decoder(sections.get("decoder")), config);
        }

        private void requireEmpty(String option) {
            String value = text(modelOptions.get(option));
            if (value != null && !value.isEmpty()) {
                throw new TokenizerFormatException("BPE option " + option + " = \"" + value + "\" is not supported");
            }
        }
    }

    static Spec read(InputStream in) throws IOException {
        Spec spec = new Spec();
        try (JsonParser p = new JsonFactory(MAPPER).createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the file does not hold a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("model")) {
                    readModel(p, spec);
                } else {
                    spec.sections.put(name, p.readValueAsTree());
                }
            }
        }
        return spec;
    }

    private static void readModel(JsonParser p, Spec spec) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "\"model\" is not an object");
        spec.sawModel = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
                Map<String, Integer> vocab = new HashMap<>(1 << 18);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0
                            || p.getLongValue() > Integer.MAX_VALUE) {
                        throw new TokenizerFormatException("vocab entry \"" + token + "\" has no valid id");
                    }
                    vocab.put(token, p.getIntValue());
                }
                spec.vocab = vocab;
            } else if (name.equals("merges") && value == JsonToken.START_ARRAY) {
                List<String[]> merges = new ArrayList<>(1 << 18);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == JsonToken.VALUE_STRING) {
                        String[] pair = p.getText().split(" ", -1);
                        if (pair.length != 2) {
                            throw new TokenizerFormatException("merge " + merges.size() + " \"" + p.getText()
                                    + "\" is not two tokens separated by one space");
                        }
                        merges.add(pair);
                    } else if (t == JsonToken.START_ARRAY) {
                        String a = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                        String b = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                        if (a == null || b == null || p.nextToken() != JsonToken.END_ARRAY) {
                            throw new TokenizerFormatException("merge " + merges.size() + " is not a pair of strings");
                        }
                        merges.add(new String[] {a, b});
                    } else {
                        throw new TokenizerFormatException("merge " + merges.size() + " is neither \"a b\" nor [a, b]");
                    }
                }
                spec.merges = merges;
            } else {
                spec.modelOptions.put(name, p.readValueAsTree());
            }
        }
    }

    /** The merge table, ranked by position; every part and result must be in the vocabulary. */
    static LongLongMap mergeTable(Map<String, Integer> vocab, List<String[]> merges) {
        LongLongMap table = new LongLongMap(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            Integer a = vocab.get(m[0]);
            Integer b = vocab.get(m[1]);
            Integer merged = vocab.get(m[0] + m[1]);
            if (a == null || b == null || merged == null) {
                String missing = a == null ? m[0] : b == null ? m[1] : m[0] + m[1];
                throw new TokenizerFormatException("merge " + rank + " (\"" + m[0] + "\" + \"" + m[1]
                        + "\") refers to \"" + missing + "\", which is not in the vocabulary");
            }
            table.put((long) a << 32 | b, (long) rank << 32 | merged);
        }
        return table;
    }

    /**
     * The added tokens, with the ids Hugging Face gives them: a token whose text is already a token keeps that
     * id; any other takes the next id after the vocabulary and the added tokens before it. (The "id" written
     * in the file is checked to be an integer but, as in Hugging Face, does not decide.)
     */
    private static List<AddedToken> addedTokens(JsonNode node, Map<String, Integer> vocab) {
        List<AddedToken> tokens = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tokens;
        }
        if (!node.isArray()) {
            throw new TokenizerFormatException("\"added_tokens\" is not an array");
        }
        Map<String, Integer> addedIds = new HashMap<>();
        int maxAdded = -1;
        for (JsonNode t : node) {
            if (!t.path("id").canConvertToInt() || !t.path("content").isTextual()) {
                throw new TokenizerFormatException("added token " + t + " needs an integer id and a content string");
            }
            String content = t.get("content").asText();
            Integer id = addedIds.get(content);
            if (id == null) {
                id = vocab.get(content);
            }
            if (id == null) {
                id = maxAdded >= vocab.size() ? maxAdded + 1 : vocab.size();
            }
            maxAdded = Math.max(maxAdded, id);
            addedIds.put(content, id);
            tokens.add(new AddedToken(id, content, bool(t.get("single_word")), bool(t.get("lstrip")),
                    bool(t.get("rstrip")), bool(t.get("normalized")), bool(t.get("special"))));
        }
        return tokens;
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static boolean bool(JsonNode node) {
        return node != null && node.asBoolean(false);
    }

    private static void expect(JsonToken actual, JsonToken expected, String problem) {
        if (actual != expected) {
            throw new TokenizerFormatException(problem);
        }
    }
}
