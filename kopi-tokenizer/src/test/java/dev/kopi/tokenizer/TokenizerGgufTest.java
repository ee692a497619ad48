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
    @ValueSource(strings = {"qwen3", "llama3", "gemma3"})
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

    @Test
    void readsLlamaCppsOwnVocabFilesAsItsTestVectorsSay() throws IOException {
        for (String name : List.of("qwen2", "llama-bpe")) {
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
