package dev.kopi.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The byte-level pre-tokenizers llama.cpp knows by a name ({@code tokenizer.ggml.pre}) whose Hugging Face
 * configuration kopi has checked against a real tokenizer.json: the pre_tokenizer (the regex of each Split
 * stage, in order, then ByteLevel), the normalizer and {@code ignore_merges} that the model family's
 * tokenizer.json has. A GGUF keeps only the name, so reading one rebuilds these; writing one names the
 * tokenizer.json's pre-tokenizer as {@code convert_hf_to_gguf} does for these families.
 */
enum LlamaCppPre {
    /** Qwen2, Qwen2.5, Qwen3 (Qwen-SEA-LION v4): NFC normalizer. */
    QWEN2("qwen2", List.of(), nfc(), false, split(GptSplitPattern.QWEN2)),
    /** Llama 3, 3.1 (Llama-SEA-LION v3): merges ignored for words in the vocabulary. */
    LLAMA_BPE("llama-bpe", List.of("llama3", "llama-v3"), null, true, split(GptSplitPattern.LLAMA3)),
    /** Mistral NeMo's tekken, which Apertus (Apertus-SEA-LION v4) keeps. */
    TEKKEN("tekken", List.of(), null, true, split(GptSplitPattern.TEKKEN)),
    /** OpenAI o200k (GPT-4o); tokenizer.json files write it as an inverted Split that removes the gaps. */
    GPT_4O("gpt-4o", List.of(), null, false, split(GptSplitPattern.GPT4O), invertedRemoved(GptSplitPattern.GPT4O)),
    /** DeepSeek V3 / R1: three Splits, digits in threes and CJK runs first. */
    DEEPSEEK_V3("deepseek-v3", List.of(), null, false, split("\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+")),
    /** GPT-2: ByteLevel with its own regex. */
    GPT2("gpt-2", List.of(), null, false, byteLevel(true));

    private final String name;
    private final List<String> aliases;
    private final JsonNode normalizer;
    private final boolean ignoreMerges;
    /** The configuration a GGUF of this name is read as; then other forms that split the same. */
    private final List<JsonNode> preTokenizers;

    LlamaCppPre(String name, List<String> aliases, JsonNode normalizer, boolean ignoreMerges, JsonNode... preTokenizers) {
        this.name = name;
        this.aliases = aliases;
        this.normalizer = normalizer;
        this.ignoreMerges = ignoreMerges;
        this.preTokenizers = List.of(preTokenizers);
    }

    String ggufName() {
        return name;
    }

    /** The pre-tokenizer called {@code name} (or an alias llama.cpp also accepts). */
    static Optional<LlamaCppPre> byName(String name) {
        for (LlamaCppPre pre : values()) {
            if (pre.name.equals(name) || pre.aliases.contains(name)) {
                return Optional.of(pre);
            }
        }
        return Optional.empty();
    }

    /** The name of a pre-tokenizer by its {@link Stages#describe description}. */
    static Optional<LlamaCppPre> byDescription(String description) {
        for (LlamaCppPre pre : values()) {
            for (JsonNode form : pre.preTokenizers) {
                if (Stages.describe(form).equals(description)) {
                    return Optional.of(pre);
                }
            }
        }
        return Optional.empty();
    }

    /** The names kopi reads, for error messages. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (LlamaCppPre pre : values()) {
            names.add(pre.name);
        }
        return names;
    }

    JsonNode preTokenizer() {
        return preTokenizers.getFirst();
    }

    Normalizer normalizer() {
        return Stages.normalizer(normalizer);
    }

    boolean ignoreMerges() {
        return ignoreMerges;
    }

    private static JsonNode nfc() {
        return JsonNodeFactory.instance.objectNode().put("type", "NFC");
    }

    /** Sequence[Split(regex, Isolated)..., ByteLevel(use_regex: false)], as the converters write it. */
    private static JsonNode split(String... regexes) {
        ObjectNode sequence = JsonNodeFactory.instance.objectNode().put("type", "Sequence");
        ArrayNode stages = sequence.putArray("pretokenizers");
        for (String regex : regexes) {
            ObjectNode split = stages.addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", regex);
            split.put("behavior", "Isolated").put("invert", false);
        }
        stages.add(byteLevel(false));
        return sequence;
    }

    private static JsonNode invertedRemoved(String regex) {
        JsonNode sequence = split(regex);
        ((ObjectNode) sequence.get("pretokenizers").get(0)).put("behavior", "Removed").put("invert", true);
        return sequence;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return JsonNodeFactory.instance.objectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", useRegex);
    }
}
