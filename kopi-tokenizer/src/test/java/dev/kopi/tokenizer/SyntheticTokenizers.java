package dev.kopi.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test tokenizer.json files that put another pre-tokenizer (and ignore_merges setting) on a real vocabulary
 * and merges, for pre-tokenizers whose model's tokenizer is not among the fixtures.
 */
final class SyntheticTokenizers {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private SyntheticTokenizers() {}

    /** {@code base} with its pre_tokenizer and model.ignore_merges replaced, written to {@code dir/name/}. */
    static Path withPreTokenizer(Path base, JsonNode preTokenizer, boolean ignoreMerges, Path dir, String name) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(base.toFile());
            root.set("pre_tokenizer", preTokenizer);
            ((ObjectNode) root.get("model")).put("ignore_merges", ignoreMerges);
            Path folder = Files.createDirectories(dir.resolve(name));
            Path json = folder.resolve("tokenizer.json");
            MAPPER.writeValue(json.toFile(), root);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sequence[Split(regex, behavior, invert)..., ByteLevel(use_regex: false)]. */
    static JsonNode splits(String behavior, boolean invert, String... regexes) {
        ObjectNode sequence = MAPPER.createObjectNode().put("type", "Sequence");
        var stages = sequence.putArray("pretokenizers");
        for (String regex : regexes) {
            ObjectNode split = stages.addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", regex);
            split.put("behavior", behavior).put("invert", invert);
        }
        stages.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        return sequence;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
