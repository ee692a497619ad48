package dev.kopi.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.backend.Completion;
import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kopi eval's OpenAI backend, as it calls vLLM or the SEA-LION API, against kopi serve: one request checked field
 * by field, then a mini SEA-HELM run over the eval module's fixture tasks (sentiment in Thai and Burmese).
 */
class EvalAgainstKopiServeTest {
    static OpenAiBackend backend() {
        return new OpenAiBackend(OpenAiBackend.Settings.of(TestServers.SERVER.baseUrl().toString(), TestServers.API_KEY,
                TestServers.MODEL_NAME).withConcurrency(2));
    }

    @Test
    void theEvalBackendGetsAnswersAndUsage() throws Exception {
        try (OpenAiBackend backend = backend()) {
            Completion completion = backend.complete(new ChatRequest(List.of(ChatMessage.user("Apa khabar?")), 6,
                    List.of(), 42L, Map.of("enable_thinking", false)));
            assertThat(completion.completionTokens()).isBetween(1, 6);
            assertThat(completion.promptTokens()).isGreaterThan(5);
            assertThat(completion.finishReason()).isIn("stop", "length");
        }
    }

    @Test
    void aMiniSeaHelmRunGoesThroughKopiServe(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        FixtureTasks.write(tasks);
        try (OpenAiBackend backend = backend()) {
            EvalOptions options = new EvalOptions(tasks, null, List.of("sentiment"), List.of("th", "my"), 1, 3, false,
                    false, 0, 1, tmp.resolve("out"), null, null, null, null);
            Scores scores = new EvalRunner(options, backend).run().scores();
            assertThat(scores.languages()).containsOnlyKeys("th", "my");
            assertThat(scores.sea().mean()).isBetween(0.0, 100.0);
        }
        for (String language : List.of("th", "my")) {
            List<String> lines = Files.readString(tmp.resolve("out/run_0/responses/" + language + "/sentiment.jsonl"))
                    .lines().toList();
            assertThat(lines).hasSize(1);
            JsonNode response = new ObjectMapper().readTree(lines.getFirst());
            assertThat(response.has("error")).as("an answer came back, not a refusal: " + response).isFalse();
            assertThat(response.get("prompt_tokens").asInt()).isPositive();
            assertThat(response.get("completion_tokens").asInt()).isPositive();
        }
        assertThat(tmp.resolve("out/report.html")).exists();
    }
}
