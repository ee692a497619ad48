package dev.kopi.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.kopi.tokenizer.SyntheticTokenizers.json;
import static dev.kopi.tokenizer.SyntheticTokenizers.splits;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The general pre-tokenizer path (Split regexes in Oniguruma syntax run through java.util.regex, every split
 * behavior, invert, Digits, Punctuation, Sequence) against Hugging Face tokenizers through DJL: the split
 * regexes of llama.cpp's pre-tokenizers as their tokenizer.json files write them, and constructs chosen for
 * where Oniguruma and Java differ, each on Llama 3's real vocabulary and merges (with and without
 * ignore_merges) over generated Southeast Asian text. Also the real tokenizers whose regexes kopi has
 * scanners for, with the regex made unrecognisable so that the general path runs it. Zero differences allowed.
 */
class SplitRegexParityTest {
    static final int CORPUS_BYTES = 256 * 1024;
    static List<String> corpus;

    @TempDir
    static Path dir;

    @BeforeAll
    static void generateCorpus() {
        corpus = SeaCorpus.generate(4242L, CORPUS_BYTES);
    }

    static Stream<Arguments> llamaCppPreTokenizers() {
        return Stream.of(
                Arguments.of("qwen35", splits("Isolated", false,
                        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")),
                Arguments.of("jais-2", splits("Isolated", false,
                        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s{512}(?!\\S)|\\s{256}(?!\\S)|\\s{128}(?!\\S)|\\s{64}(?!\\S)|\\s{32}(?!\\S)|\\s{16}(?!\\S)|\\s{8}(?!\\S)|\\s{4}(?!\\S)|\\s{1,2}(?!\\S)|\\s{1}")),
                Arguments.of("tiny_aya", splits("Isolated", false, "\\d{1,3}(?=(?:\\d{3})*\\b)",
                        "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")),
                Arguments.of("bailingmoe (possessive)", splits("Isolated", false,
                        "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+")),
                Arguments.of("seed-coder", splits("Isolated", false,
                        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\r\n]+|\\s*[\r\n]+|\\s+(?!\\S)|\\s+")),
                Arguments.of("exaone-moe", splits("Isolated", false,
                        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?(?:\\p{L}\\p{M}*(?: \\p{L}\\p{M}*)*)+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]?|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+")),
                Arguments.of("minicpm5", splits("Isolated", false, "\\p{N}{1,3}",
                        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}+| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")),
                Arguments.of("youtu", splits("Isolated", false,
                        "[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥぀-ゟ゠-ヿ]+",
                        "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")),
                Arguments.of("deepseek-llm", splits("Isolated", false, "[\r\n]", "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳ]+",
                        "\\s?[!-/:-~！-／：-～‘-‟　-。]+", "\\s+$", "[一-龥ࠀ-一가-퟿]+", "\\p{N}+")),
                Arguments.of("superbpe (empty lookahead matches)", splits("Isolated", false, "\\p{N}+",
                        "(?=(\\d{3})+(?!\\d))")),
                Arguments.of("falcon", splits("Isolated", false, "[\\p{P}\\$\\+<=>\\^~\\|`]+",
                        "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)", "[0-9][0-9][0-9]")),
                Arguments.of("bloom / poro", splits("Isolated", false, " ?[^(\\s|.,!?…。，、।۔،)]+")),
                Arguments.of("chameleon", splits("Isolated", false, "([\\t\\n]|    |  )", "\\p{N}",
                        "[\\p{P}!-/:-@\\[-`{-~]")),
                Arguments.of("kimi-k2 (script)", splits("Isolated", false, "\\p{Han}+")),
                Arguments.of("whitespace", splits("Isolated", false, "\\S+")),
                Arguments.of("starcoder (Digits + ByteLevel regex)", json("""
                        {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
                          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}]}""")),
                Arguments.of("gpt-2 (ByteLevel regex)", json("""
                        {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}""")));
    }

    static Stream<Arguments> behaviors() {
        return Stream.of(
                Arguments.of("MergedWithPrevious", splits("MergedWithPrevious", false, "\\s+")),
                Arguments.of("MergedWithNext", splits("MergedWithNext", false, "\\p{P}")),
                Arguments.of("Contiguous", splits("Contiguous", false, "\\p{N}|[aeiou]")),
                Arguments.of("Removed", splits("Removed", false, "\\s")),
                Arguments.of("inverted Isolated", splits("Isolated", true, "\\p{L}+")),
                Arguments.of("inverted MergedWithNext", splits("MergedWithNext", true, "[\\p{L}\\p{M}]+")),
                Arguments.of("inverted MergedWithPrevious", splits("MergedWithPrevious", true, "\\w+")),
                Arguments.of("inverted Contiguous", splits("Contiguous", true, "\\d")),
                Arguments.of("empty matches, Isolated", splits("Isolated", false, "\\b")),
                Arguments.of("empty matches, Removed", splits("Removed", false, "x*")),
                Arguments.of("empty matches, MergedWithNext", splits("MergedWithNext", false, "(?=[A-Z])")),
                Arguments.of("empty matches, Contiguous", splits("Contiguous", false, "a?")),
                Arguments.of("line anchors", splits("Isolated", false, "^\\s+|\\s+$|^.|.$")),
                Arguments.of("dot and options", splits("Isolated", false, "(?i:ng|th)+|(?m:.{3})|\\h+|\\R")),
                Arguments.of("interval then repeat", splits("Isolated", false, "\\p{N}{1,2}+|[a-z]{2}?x|\\p{L}{,3}")),
                Arguments.of("atomic and lookbehind", splits("Isolated", false, "(?>\\p{L}+)(?<=[aeiou])|(?<!\\d)\\d+")),
                Arguments.of("properties and POSIX", splits("Isolated", false,
                        "\\p{Letter}+|\\p{^Number}\\p{Nd}|[[:punct:]]+|\\p{Thai}+|\\p{In_Myanmar}+|\\p{Alphabetic}")),
                Arguments.of("class details", splits("Isolated", false, "[]a-c-]+|[\\w-]+|[^\\s\\p{L}&&[^!]]+|[\\x{E00}-\\x{E7F}]")),
                Arguments.of("string pattern", json("""
                        {"type": "Sequence", "pretokenizers": [
                          {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": false},
                          {"type": "Split", "pattern": {"String": "\\n"}, "behavior": "Isolated", "invert": false},
                          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}""")),
                Arguments.of("Punctuation and Digits", json("""
                        {"type": "Sequence", "pretokenizers": [{"type": "Punctuation", "behavior": "MergedWithPrevious"},
                          {"type": "Digits", "individual_digits": false},
                          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}""")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("llamaCppPreTokenizers")
    void llamaCppPreTokenizerRegexesMatchHuggingFace(String name, JsonNode preTokenizer) {
        int variant = Math.abs(name.hashCode());
        assertParity(name, SyntheticTokenizers.withPreTokenizer(Fixtures.llama3Tokenizer(), preTokenizer,
                variant % 2 == 0, dir, "pre" + variant));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("behaviors")
    void splitBehaviorsAndRegexDialectMatchHuggingFace(String name, JsonNode preTokenizer) {
        int variant = Math.abs(name.hashCode());
        assertParity(name, SyntheticTokenizers.withPreTokenizer(Fixtures.llama3Tokenizer(), preTokenizer,
                variant % 2 == 1, dir, "behavior" + variant));
    }

    /**
     * The regexes kopi has scanners for, run on the general path instead: {@code (?:regex)} is the same regex
     * to Oniguruma but not one kopi recognises.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "mistral_nemo", "gpt4o"})
    void generalPathGivesTheIdsOfTheScanners(String name) {
        Path real = HuggingFaceParityTest.tokenizerJson(name);
        JsonNode tree = readTree(real);
        JsonNode preTokenizer = tree.get("pre_tokenizer");
        ObjectNode split = (ObjectNode) (preTokenizer.has("pretokenizers") ? preTokenizer.get("pretokenizers").get(0)
                : preTokenizer);
        String regex = split.get("pattern").get("Regex").asText();
        assertThat(GptSplitPattern.forRegex(regex)).as("kopi has a scanner for " + name).isNotNull();
        ((ObjectNode) split.get("pattern")).put("Regex", "(?:" + regex + ")");
        boolean ignoreMerges = tree.get("model").path("ignore_merges").asBoolean(false);
        assertParity(name, SyntheticTokenizers.withPreTokenizer(real, preTokenizer, ignoreMerges, dir, "general-" + name));
    }

    private static JsonNode readTree(Path tokenizerJson) {
        try {
            return SyntheticTokenizers.MAPPER.readTree(tokenizerJson.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertParity(String name, Path json) {
        Tokenizer kopi = Tokenizers.load(json);
        List<String> differences = new ArrayList<>();
        long tokens = 0;
        try (HuggingFaceTokenizer hf = HuggingFace.open(json)) {
            for (int d = 0; d < corpus.size(); d++) {
                int[] expected = HuggingFace.encode(hf, corpus.get(d));
                int[] actual = kopi.encode(corpus.get(d));
                tokens += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    differences.add("doc " + d + ": " + HuggingFaceParityTest.describe(kopi, expected, actual));
                }
            }
        }
        assertThat(differences).as("%s: %d documents, %d tokens", name, corpus.size(), tokens).isEmpty();
        assertThat(tokens).isGreaterThan(50_000);
    }
}
