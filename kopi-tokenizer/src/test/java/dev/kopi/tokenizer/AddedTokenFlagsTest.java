package dev.kopi.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Added tokens with Hugging Face's flags (single_word, lstrip, rstrip, normalized, special), against Hugging
 * Face on the real Qwen3 tokenizer with such tokens added, and against Gemma 3 with a normalized one.
 */
class AddedTokenFlagsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Path withAddedTokens(Path source, String name, Object[][] tokens) throws IOException {
        ObjectNode json = (ObjectNode) MAPPER.readTree(source.toFile());
        ArrayNode added = (ArrayNode) json.get("added_tokens");
        int id = json.get("model").get("vocab").size() + added.size() + 10;
        for (Object[] t : tokens) {
            ObjectNode token = added.addObject();
            token.put("id", id++).put("content", (String) t[0]).put("single_word", (Boolean) t[1])
                    .put("lstrip", (Boolean) t[2]).put("rstrip", (Boolean) t[3]).put("normalized", (Boolean) t[4])
                    .put("special", (Boolean) t[5]);
        }
        Path file = dir.resolve(name + ".json");
        MAPPER.writeValue(file.toFile(), json);
        return file;
    }

    private static void assertSameAsHuggingFace(Path json, List<String> texts) {
        Tokenizer kopi = Tokenizers.load(json);
        List<String> differences = new ArrayList<>();
        try (HuggingFaceTokenizer hf = HuggingFace.open(json)) {
            for (String text : texts) {
                int[] expected = HuggingFace.encode(hf, text);
                int[] actual = kopi.encode(text);
                if (!Arrays.equals(expected, actual)) {
                    differences.add(HuggingFaceParityTest.escape(text) + ": expected " + Arrays.toString(expected)
                            + " but was " + Arrays.toString(actual));
                }
                for (boolean skip : new boolean[] {false, true}) {
                    String want = HuggingFace.decode(hf, expected, skip);
                    String got = kopi.decode(expected, skip);
                    if (!want.equals(got)) {
                        differences.add("decode " + HuggingFaceParityTest.escape(text) + " skip=" + skip + ": "
                                + HuggingFaceParityTest.escape(want) + " vs " + HuggingFaceParityTest.escape(got));
                    }
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void flagsMatchHuggingFaceOnQwen3() throws IOException {
        Path json = withAddedTokens(Fixtures.qwen3Tokenizer(), "qwen3-flags", new Object[][] {
            // content, single_word, lstrip, rstrip, normalized, special
            {"<sw>", true, false, false, false, true},
            {"kopi", true, false, false, false, false},
            {"<ls>", false, true, false, false, true},
            {"<rs>", false, false, true, false, false},
            {"<both>", false, true, true, false, true},
            {"caf\u00E9", false, false, false, true, false},
            {"<sw", false, false, false, false, false},
        });
        List<String> texts = new ArrayList<>(List.of(
                "a<sw>b", "a <sw> b", "<sw>", "x<sw>", "<sw>y", "_<sw>_", "1<sw>2", "é<sw>", "<sw>\u0E01",
                "kopi", "kopiluwak", "teh kopi susu", "kopi-o", "akopi", "kopi's",
                "a   <ls>b", "a\t\u00A0<ls>", "<ls>   ", "x<rs>   y", "x<rs>\n\n y", "<rs>",
                "  <both>  ", "a<both>b", "\u3000<both>\u3000",
                "cafe\u0301 au lait", "café", "CAFÉ", "a caf\u00E9<sw>kopi<ls> <rs> x",
                "<sw<sw>", "<<sw>>", "<sw<ls>"));
        assertSameAsHuggingFace(json, texts);
    }

    @Test
    void normalizedAddedTokenMatchesAfterGemmasSpaceReplacement() throws IOException {
        Path json = withAddedTokens(Fixtures.gemma3Tokenizer(), "gemma3-normalized", new Object[][] {
            {" selamat pagi", false, false, false, true, false},
            {"<raw>", false, false, false, false, true},
        });
        assertSameAsHuggingFace(json, List.of("Hai, selamat pagi semua", "selamat pagi", "x<raw>  selamat pagi<raw>",
                "<start_of_turn>user selamat pagi<end_of_turn>"));
    }
}
