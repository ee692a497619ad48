package dev.kopi.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every character class a Split regex can use, character by character over Unicode (planes 0 and 1 whole,
 * a sample of the ideographs of planes 2 and 3, tags, variation selectors and some private use): kopi's translation to java.util.regex
 * must keep exactly the characters Oniguruma keeps inside Hugging Face tokenizers. Each code point is its own
 * piece (a Split on "\n" removes the separators), then a Split that removes whatever is not in the class.
 */
class UnicodeClassParityTest {
    static String text;

    @TempDir
    static Path dir;

    @BeforeAll
    static void everyCodePoint() {
        StringBuilder out = new StringBuilder();
        // planes 0 and 1 whole; the ideographs of planes 2 and 3 (all Lo) every 61st; tags, variation selectors
        for (int[] range : new int[][] {{0, 0x1FFFF, 1}, {0x20000, 0x33FFF, 61}, {0xE0000, 0xE0FFF, 1},
            {0xF0000, 0xF00FF, 1}, {0x10FF00, 0x10FFFF, 1}}) {
            for (int cp = range[0]; cp <= range[1]; cp += range[2]) {
                if (cp != '\n' && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    out.appendCodePoint(cp).append('\n');
                }
            }
        }
        text = out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\h", "[[:punct:]]", "[[:alpha:]]",
        "[[:alnum:]]", "[[:upper:]]", "[[:lower:]]", "[[:xdigit:]]", "[[:blank:]]", "[[:^alpha:]]", "\\p{Word}",
        "\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{Lt}", "\\p{Lm}", "\\p{Lo}", "\\p{M}", "\\p{Mn}", "\\p{Mc}", "\\p{Me}",
        "\\p{N}", "\\p{Nd}", "\\p{Nl}", "\\p{No}", "\\p{P}", "\\p{S}", "\\p{Z}", "\\p{C}", "\\p{Cf}", "\\p{Cn}",
        "\\p{Co}", "\\P{L}", "\\p{^N}", "\\p{Han}", "\\p{Thai}", "\\p{Myanmar}", "\\p{Khmer}", "\\p{Lao}",
        "\\p{Tamil}", "\\p{Latin}", "\\p{Common}", "\\p{Inherited}", "\\p{Alphabetic}", "\\p{White_Space}",
        "\\p{Letter}", "\\p{Decimal_Number}", "[\\p{L}\\p{M}&&[^\\p{Lu}]]", ".", "\\R", "(?i:k|s|[b-h])"})
    void classKeepsTheCharactersOnigurumaKeeps(String cls) {
        JsonNode preTokenizer = SyntheticTokenizers.json("""
                {"type": "Sequence", "pretokenizers": [
                  {"type": "Split", "pattern": {"String": "\\n"}, "behavior": "Removed", "invert": false},
                  {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Removed", "invert": true},
                  {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}"""
                .formatted(SyntheticTokenizers.MAPPER.valueToTree(cls).toString()));
        Path json = SyntheticTokenizers.withPreTokenizer(Fixtures.llama3Tokenizer(), preTokenizer, true, dir,
                "class" + Math.abs(cls.hashCode()));
        Tokenizer kopi = Tokenizers.load(json);
        String kept;
        try (HuggingFaceTokenizer hf = HuggingFace.open(json)) {
            kept = kopi.decode(HuggingFace.encode(hf, text));
        }
        String kopiKept = kopi.decode(kopi.encode(text));
        List<String> differences = new ArrayList<>();
        int a = 0;
        int b = 0;
        while ((a < kept.length() || b < kopiKept.length()) && differences.size() < 20) {
            int x = a < kept.length() ? kept.codePointAt(a) : Integer.MAX_VALUE;
            int y = b < kopiKept.length() ? kopiKept.codePointAt(b) : Integer.MAX_VALUE;
            if (x == y) {
                a += Character.charCount(x);
                b += Character.charCount(y);
            } else if (x < y) {
                differences.add(String.format("U+%04X only in Hugging Face", x));
                a += Character.charCount(x);
            } else {
                differences.add(String.format("U+%04X only in kopi", y));
                b += Character.charCount(y);
            }
        }
        assertThat(differences).as(cls).isEmpty();
        assertThat(kept).as("the class keeps something").isNotEmpty();
    }
}
