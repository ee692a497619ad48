package dev.kopi.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizeCommandTest {
    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    private int run(String... args) {
        return Main.run(args);
    }

    private String stdout() {
        return streams.stdout();
    }

    private String stderr() {
        return streams.stderr();
    }

    private static String huggingFaceIds(Path json, String text) throws Exception {
        try (InputStream in = Files.newInputStream(json);
             HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(in,
                     Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"))) {
            return Arrays.stream(hf.encode(text, true, false).getIds()).mapToObj(Long::toString)
                    .collect(Collectors.joining(" "));
        }
    }

    @Test
    void printsHuggingFaceIdsForThai() throws Exception {
        Path qwen3 = Fixtures.qwen3Tokenizer();
        assertThat(run("tokenize", "-t", qwen3.toString(), "--ids", "สวัสดีครับ")).isZero();
        assertThat(stdout().strip()).isEqualTo(huggingFaceIds(qwen3, "สวัสดีครับ"));
    }

    @Test
    void readsFolderAndStandardInputLineByLineWithAddedTokens() throws Exception {
        Path gemma = Fixtures.lenml("gemma3");
        String first = "<start_of_turn>user\u00A0xin chào";
        String second = "ສະບາຍດີ 123";
        System.setIn(new ByteArrayInputStream((first + "\n" + second + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(run("tokenize", "-t", gemma.toString(), "--lines", "-")).isZero();
        Path json = gemma.resolve("tokenizer.json");
        assertThat(stdout()).isEqualTo(huggingFaceIds(json, first) + "\n" + huggingFaceIds(json, second) + "\n");
    }

    @Test
    void countsAndShowsTokens() {
        String qwen3 = Fixtures.qwen3Tokenizer().toString();
        assertThat(run("tokenize", "-t", qwen3, "--count", "hello world")).isZero();
        assertThat(run("tokenize", "-t", qwen3, "--tokens", "hello world\n")).isZero();
        assertThat(stdout()).isEqualTo("2\nhello Ġworld Ċ\n");
    }

    @Test
    void detokenizeRoundTripsAndRejectsOutOfRangeIds() {
        String qwen3 = Fixtures.qwen3Tokenizer().toString();
        assertThat(run("tokenize", "-t", qwen3, "<|im_start|>สวัสดีครับ 👍🏽")).isZero();
        String[] ids = stdout().strip().split(" ");
        streams.out.reset();
        String[] args = new String[ids.length + 3];
        args[0] = "detokenize";
        args[1] = "-t";
        args[2] = qwen3;
        System.arraycopy(ids, 0, args, 3, ids.length);
        assertThat(run(args)).isZero();
        assertThat(stdout()).isEqualTo("<|im_start|>สวัสดีครับ 👍🏽\n");

        assertThat(run("detokenize", "-t", qwen3, "12", "999999")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("kopi: token id 999999 is out of range: the vocabulary has ids 0 to 151668\n");
    }

    @Test
    void invalidUtf8OnStandardInputIsAClearError() {
        System.setIn(new ByteArrayInputStream(new byte[] {'a', 'b', (byte) 0xE0, (byte) 0x41}));
        assertThat(run("tokenize", "-t", Fixtures.qwen3Tokenizer().toString(), "-")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("kopi: standard input is not valid UTF-8: invalid byte sequence at byte offset 2\n");
    }

    @Test
    void missingOrBrokenTokenizerIsAClearError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(run("tokenize", "-t", dir.resolve("nope.json").toString(), "x")).isEqualTo(2);
        assertThat(stderr()).startsWith("kopi: ").contains("nope.json does not exist").doesNotContain("Exception");
        streams.err.reset();
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {");
        assertThat(run("tokenize", "-t", broken.toString(), "x")).isEqualTo(2);
        assertThat(stderr()).startsWith("kopi: ").contains("is not valid JSON").doesNotContain("\tat ");
    }
}
