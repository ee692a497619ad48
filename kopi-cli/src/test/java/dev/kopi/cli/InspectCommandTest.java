package dev.kopi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.gguf.GgmlType;
import dev.kopi.gguf.GgufWriter;
import dev.kopi.safetensors.SafetensorsDType;
import dev.kopi.safetensors.SafetensorsWriter;
import dev.kopi.testkit.Fixtures;
import picocli.CommandLine;

class InspectCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KopiCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path sampleGguf() throws IOException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 151936; i++) {
            tokens.add(i == 0 ? "!" : i == 1 ? "\"" : "t" + i);
        }
        Path file = dir.resolve("tiny.gguf");
        new GgufWriter()
                .putString("general.architecture", "qwen3")
                .putUint32("qwen3.context_length", 40960)
                .putString("tokenizer.chat_template", "{%- for message in messages %}".repeat(20))
                .putStringArray("tokenizer.ggml.tokens", tokens)
                .addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {64, 10}, new byte[680])
                .addTensor("output_norm.weight", GgmlType.F32, new long[] {64}, new byte[256])
                .write(file);
        return file;
    }

    @Test
    void printsGgufMetadataAndTensorTable() throws IOException {
        Path file = sampleGguf();
        Run r = run("inspect", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("GGUF v3, alignment 32")
                .contains("general.architecture").contains("\"qwen3\"")
                .contains("[151936 strings: \"!\", \"\\\"\", \"t2\", \"t3\", \"t4\", \"t5\", \"t6\", \"t7\", ...]")
                .contains("… (600 chars)")
                .containsPattern("token_embd\\.weight\\s+Q8_0\\s+\\[64, 10\\]\\s+\\d+\\s+680")
                .contains("Total: 2 tensors, 704 parameters (0.7K), 936 bytes (936 B)");
    }

    @Test
    void printsJson() throws IOException {
        Path file = sampleGguf();
        Run r = run("inspect", "--json", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("format").asText()).isEqualTo("GGUF");
        assertThat(json.at("/metadata/tokenizer.ggml.tokens/length").asLong()).isEqualTo(151936);
        assertThat(json.at("/tensors/0/shape/1").asLong()).isEqualTo(10);
        assertThat(json.get("parameter_count").asLong()).isEqualTo(704);
    }

    @Test
    void inspectsSafetensorsFolder() throws IOException {
        new SafetensorsWriter().putMetadata("format", "pt")
                .addTensor("lm_head.weight", SafetensorsDType.BF16, new long[] {3, 2}, new byte[12])
                .write(dir.resolve("model.safetensors"));
        Run r = run("inspect", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("(safetensors)").contains("\"pt\"")
                .containsPattern("lm_head\\.weight\\s+BF16\\s+\\[3, 2\\]\\s+0\\s+12")
                .contains("Total: 1 tensors, 6 parameters");
    }

    @Test
    void corruptFileGivesOneLineAndNonZeroExit() throws IOException {
        Path file = sampleGguf();
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 300));
        Run r = run("inspect", cut.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("kopi: " + cut + ": tensor 'token_embd.weight' data [")
                .contains("lies past the end of the file").doesNotContain("\n").doesNotContain("Exception");

        Run missing = run("inspect", dir.resolve("nope.gguf").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err().strip()).isEqualTo("kopi: no such file: " + dir.resolve("nope.gguf"));
    }

    @Test
    void inspectsARealLlamaCppVocabFile() {
        Path vocab = Fixtures.llamaCppSource().resolve("models/ggml-vocab-qwen2.gguf");
        Run r = run("inspect", "--no-tensors", vocab.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("tokenizer.ggml.model").contains("\"gpt2\"").contains("[151936 strings: ");
    }
}
