package dev.kopi.tokenizer;

import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.GgufWriter;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppVocab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokenizers written to GGUF by kopi: read back by kopi they give the ids of tokenizer.json (hence of Hugging
 * Face), and llama.cpp loading the same file gives the same ids on NFC text.
 */
class TokenizerGgufTest {
    static List<String> corpus;

    @TempDir
    static Path dir;

    @BeforeAll
    static void generateCorpus() {
        corpus = SeaCorpus.generate(99L, 1 << 20);
    }

    /** A vocabulary-only GGUF: the architecture keys of llama.cpp's own vocab file, then kopi's tokenizer. */
    static Path writeGguf(Tokenizer tokenizer, String name, String llamaCppVocab) throws IOException {
        GgufWriter writer = new GgufWriter();
        try (GgufFile reference = GgufFile.open(Fixtures.llamaCppSource().resolve("models/ggml-vocab-" + llamaCppVocab + ".gguf"))) {
            GgufMetadata meta = reference.metadata();
            for (String key : meta.keys()) {
                if (!key.startsWith("tokenizer.")) {
                    writer.put(key, meta.findType(key).orElseThrow(), meta.get(key));
                }
            }
            TokenizerGguf.write(tokenizer, writer);
            Path path = dir.resolve(name + ".gguf");
            writer.write(path);
            return path;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "gemma3", "mistral_nemo", "gpt4o", "deepseek_v3"})
    void ggufGivesTheIdsOfTokenizerJson(String name) throws IOException {
        Tokenizer json = Tokenizers.load(HuggingFaceParityTest.tokenizerJson(name));
        Tokenizer gguf = Tokenizers.load(writeGguf(json, name, name.equals("llama3") ? "llama-bpe" : "qwen2"));
        assertThat(gguf.vocabSize()).isEqualTo(json.vocabSize());
        assertThat(gguf.bosId()).isEqualTo(json.bosId());
        assertThat(gguf.eosId()).isEqualTo(json.eosId());
        assertThat(gguf.eotId()).isEqualTo(json.eotId());
        assertThat(gguf.chatTemplate()).isEqualTo(json.chatTemplate());
        List<String> differences = new ArrayList<>();
        for (int d = 0; d < corpus.size(); d++) {
            int[] expected = json.encode(corpus.get(d));
            int[] actual = gguf.encode(corpus.get(d));
            if (!Arrays.equals(expected, actual)) {
                differences.add("doc " + d + ": " + HuggingFaceParityTest.describe(json, expected, actual));
            } else if (!gguf.decode(actual).equals(json.decode(expected))) {
                differences.add("decode doc " + d);
            }
        }
        assertThat(differences).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3"})
    void llamaCppGivesTheSameIdsOnNfcText(String name) throws IOException {
        Tokenizer kopi = Tokenizers.load(HuggingFaceParityTest.tokenizerJson(name));
        Path gguf = writeGguf(kopi, name + "-llama", name.equals("llama3") ? "llama-bpe" : "qwen2");
        List<String> differences = new ArrayList<>();
        long tokens = 0;
        try (LlamaCppVocab llama = LlamaCppVocab.load(gguf)) {
            assertThat(llama.size()).isEqualTo(kopi.vocabSize());
            for (int d = 0; d < corpus.size(); d++) {
                String text = Unicode9.normalize(Utf8.asRustString(corpus.get(d)), java.text.Normalizer.Form.NFC);
                int[] expected = llama.tokenize(text, false, true);
                int[] actual = kopi.encode(text, false);
                tokens += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    differences.add("doc " + d + ": " + HuggingFaceParityTest.describe(kopi, expected, actual));
                }
            }
        }
        assertThat(differences).as("%d tokens", tokens).isEmpty();
        assertThat(tokens).isGreaterThan(200_000);
    }

    /**
     * llama.cpp's converter names a pre-tokenizer by the SHA-256 of the ids Hugging Face gives its check text;
     * kopi's ids of that text (read from the converter's source) must hash to the name kopi writes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "mistral_nemo", "gpt4o", "deepseek_v3"})
    void preNameIsTheOneConvertHfToGgufGives(String name) throws Exception {
        String converter = Files.readString(Fixtures.llamaCppSource().resolve("conversion/base.py"));
        java.util.regex.Matcher text = java.util.regex.Pattern.compile("chktxt = '((?:[^'\\\\]|\\\\.)*)'").matcher(converter);
        assertThat(text.find()).as("chktxt in conversion/base.py").isTrue();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        java.util.regex.Matcher entry = java.util.regex.Pattern.compile(
                "chkhsh == \"([0-9a-f]{64})\":\\s*\\n(?:\\s*#[^\\n]*\\n)*\\s*res = \"([^\"]+)\"").matcher(converter);
        while (entry.find()) {
            names.putIfAbsent(entry.group(1), entry.group(2));
        }
        assertThat(names).hasSizeGreaterThan(50);
        Tokenizer kopi = Tokenizers.load(HuggingFaceParityTest.tokenizerJson(name));
        int[] ids = kopi.encode(pythonString(text.group(1)));
        // transformers adds BOS for these (DeepSeek V3: its tokenizer_config.json; Llama 3: Meta's tokenizer.json,
        // whose post-processor the npm copy leaves out)
        if (name.equals("deepseek_v3") || name.equals("llama3")) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = name.equals("llama3") ? kopi.tokenId("<|begin_of_text|>") : kopi.bosId();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            ids = withBos;
        }
        String list = Arrays.toString(ids);
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(list.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String chkhsh = java.util.HexFormat.of().formatHex(hash);
        GgufMetadata written;
        Path gguf = writeGguf(kopi, name + "-pre", "qwen2");
        try (GgufFile file = GgufFile.open(gguf)) {
            written = file.metadata();
            assertThat(names.get(chkhsh)).as("llama.cpp's name for %s (chkhsh %s)", name, chkhsh)
                    .isEqualTo(written.getString("tokenizer.ggml.pre"));
        }
    }

    /** A Python string literal's body with its escapes resolved (\\n, \\t, \\u200d, \\', \\"). */
    private static String pythonString(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /**
     * llama.cpp runs tekken with an adapted regex (letters not in a-z for the upper-case class, a lookahead
     * for \p{L} that leaves out marks), so on text with marks or non-ASCII case it cuts words elsewhere than
     * Hugging Face; on ASCII text the two regexes agree and so must the ids.
     */
    @Test
    void llamaCppGivesTheSameTekkenIdsOnAsciiText() throws IOException {
        Tokenizer kopi = Tokenizers.load(HuggingFaceParityTest.tokenizerJson("mistral_nemo"));
        Path gguf = writeGguf(kopi, "tekken-llama", "qwen2");
        int differing = 0;
        long tokens = 0;
        List<String> differences = new ArrayList<>();
        try (LlamaCppVocab llama = LlamaCppVocab.load(gguf)) {
            for (String doc : corpus) {
                String text = Utf8.asRustString(doc);
                if (!Arrays.equals(llama.tokenize(text, false, true), kopi.encode(text, false))) {
                    differing++;
                }
                StringBuilder ascii = new StringBuilder();
                text.chars().filter(c -> c < 0x80).forEach(c -> ascii.append((char) c));
                int[] expected = llama.tokenize(ascii.toString(), false, true);
                int[] actual = kopi.encode(ascii.toString(), false);
                tokens += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    differences.add(HuggingFaceParityTest.describe(kopi, expected, actual));
                }
            }
        }
        System.out.printf("tekken: llama.cpp and Hugging Face differ on %d of %d whole documents%n", differing,
                corpus.size());
        assertThat(differences).as("%d tokens of ASCII text", tokens).isEmpty();
        assertThat(tokens).isGreaterThan(50_000);
    }

    @Test
    void readsLlamaCppsOwnVocabFilesAsItsTestVectorsSay() throws IOException {
        for (String name : List.of("qwen2", "llama-bpe", "llama-spm")) {
            Path models = Fixtures.llamaCppSource().resolve("models");
            Tokenizer kopi = Tokenizers.load(models.resolve("ggml-vocab-" + name + ".gguf"));
            String[] inputs = Files.readString(models.resolve("ggml-vocab-" + name + ".gguf.inp"))
                    .split("\n__ggml_vocab_test__\n", -1);
            List<String> outputs = Files.readAllLines(models.resolve("ggml-vocab-" + name + ".gguf.out"));
            int checked = 0;
            for (int i = 0; i < outputs.size() && i < inputs.length; i++) {
                String input = inputs[i];
                String nfc = Unicode9.normalize(input, java.text.Normalizer.Form.NFC);
                if (!nfc.equals(input)) {
                    continue; // llama.cpp does not normalize; kopi (like Hugging Face) does
                }
                int[] expected = outputs.get(i).isBlank() ? new int[0]
                        : Arrays.stream(outputs.get(i).trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
                assertThat(kopi.encode(input, false)).as("%s input %d: %s", name, i, input).containsExactly(expected);
                checked++;
            }
            assertThat(checked).as(name).isGreaterThan(20);
        }
    }

    @Test
    void ggufWithoutTokenizerIsAClearError() throws IOException {
        Path empty = dir.resolve("empty.gguf");
        new GgufWriter().putString("general.architecture", "llama").write(empty);
        assertThatThrownBy(() -> Tokenizers.load(empty)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("has no tokenizer");
        Path badPre = dir.resolve("bad-pre.gguf");
        new GgufWriter().putString("tokenizer.ggml.model", "gpt2").putString("tokenizer.ggml.pre", "martian")
                .putStringArray("tokenizer.ggml.tokens", List.of("a", "b")).putStringArray("tokenizer.ggml.merges", List.of())
                .write(badPre);
        assertThatThrownBy(() -> Tokenizers.load(badPre)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("pre-tokenizer \"martian\" is not supported");
    }
}
