package dev.kopi.tokenizer;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed tokenizer files fail with a message that names the file and the problem. */
class CorruptTokenizerJsonTest {
    @TempDir
    Path dir;

    private static final String VOCAB = "\"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            not json at all                                                    | is not valid JSON
            {"model": {"type": "BPE", "vocab": {"a": 0                         | is not valid JSON
            []                                                                 | does not hold a JSON object
            {"normalizer": null}                                               | no "model" section
            {"model": {"type": "WordPiece", "vocab": {"a": 0}}}                | model type "WordPiece" is not supported
            {"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}              | model type "Unigram" is not supported
            {"model": {"type": "BPE", "merges": []}}                           | the BPE model has no "vocab"
            {"model": {"type": "BPE", VOCAB}}                                  | the BPE model has no "merges"
            {"model": {"type": "BPE", VOCAB, "merges": ["a c"]}}               | merge 0 ("a" + "c") refers to "c", which is not in the vocabulary
            {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}} | refers to "ab", which is not in the vocabulary
            {"model": {"type": "BPE", VOCAB, "merges": ["a b c"]}}             | merge 0 "a b c" is not two tokens separated by one space
            {"model": {"type": "BPE", VOCAB, "merges": [7]}}                   | merge 0 is neither "a b" nor [a, b]
            {"model": {"type": "BPE", "vocab": {"a": "zero"}, "merges": []}}   | vocab entry "a" has no valid id
            {"model": {"type": "BPE", VOCAB, "merges": [], "unk_token": "?"}}  | unk_token "?" is not in the vocabulary
            {"model": {"type": "BPE", VOCAB, "merges": []}, "normalizer": {"type": "Martian"}} | normalizer type "Martian" is not supported
            {"model": {"type": "BPE", VOCAB, "merges": []}, "pre_tokenizer": {"kind": "Split"}} | pre_tokenizer has no "type"
            {"model": {"type": "BPE", VOCAB, "merges": []}, "decoder": {"type": "Sequence"}} | Sequence needs an array "decoders"
            {"model": {"type": "BPE", VOCAB, "merges": []}, "added_tokens": [{"id": 3}]} | needs an integer id and a content string
            {"model": {"type": "BPE", VOCAB, "merges": []}, "added_tokens": [{"id": 3, "content": ""}]} | added token 3 has empty content
            {"model": {"type": "BPE", VOCAB, "merges": []}, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(["}, "behavior": "Isolated"}} | is not a valid regex
            """)
    void namesTheProblem(String json, String problem) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), json.replace("VOCAB", VOCAB));
        assertThatThrownBy(() -> Tokenizers.load(file)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(problem);
    }

    @Test
    void missingFilesAndFoldersAreClearErrors() throws IOException {
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("absent.json"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("absent.json does not exist");
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("holds no tokenizer.json");
        Path truncated = Files.write(dir.resolve("model.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0});
        assertThatThrownBy(() -> Tokenizers.load(truncated)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("model.gguf");
    }

    @Test
    void brokenTokenizerConfigIsNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", " + VOCAB + ", \"merges\": [\"a b\"]}}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": ");
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tokenizer_config.json is not valid JSON");
    }

    @Test
    void aMinimalValidFileWorks() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", " + VOCAB + ", \"merges\": [\"a b\"]}}");
        Tokenizer tokenizer = Tokenizers.load(dir);
        assertThat(tokenizer.encode("abab")).containsExactly(2, 2);
        assertThat(tokenizer.encode("aba")).containsExactly(2, 0);
        assertThat(tokenizer.vocabSize()).isEqualTo(3);
        assertThatThrownBy(() -> tokenizer.decode(new int[] {3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 3 is not in the vocabulary");
    }
}
