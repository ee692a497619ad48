package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.backend.LogprobBackend.LabelScore;
import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.eval.data.JsonLines;

/**
 * Log-probability tasks against a scripted vLLM-like server: {@code /tokenize} maps each character to its code point
 * (a conversation renders as "role: content\n" lines and "assistant:"), {@code /v1/completions} answers up to the tag
 * and, with {@code echo}, gives every prompt token the log-probability 0 if it is a space, 'A' or 'B' and -1
 * otherwise. So a correctly placed continuation " A" sums to exactly 0 (probability 100%), and one token too many
 * (the tag's ':') would make it -1.
 */
class LogprobTaskTest {
    /** The scripted server; keeps every request body by path. */
    static final class MockVllm implements AutoCloseable {
        final HttpServer server;
        final List<String> paths = new CopyOnWriteArrayList<>();
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

        MockVllm() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/tokenize", this::tokenize);
            server.createContext("/v1/completions", this::completions);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        private JsonNode read(HttpExchange exchange) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JsonLines.JSON.readTree(in);
                paths.add(exchange.getRequestURI().getPath());
                bodies.add(body);
                return body;
            }
        }

        private static void reply(HttpExchange exchange, JsonNode answer) throws IOException {
            byte[] bytes = JsonLines.JSON.writeValueAsBytes(answer);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        private void tokenize(HttpExchange exchange) throws IOException {
            JsonNode body = read(exchange);
            StringBuilder text = new StringBuilder();
            if (body.has("messages")) {
                body.path("messages").forEach(m -> text.append(m.path("role").asText()).append(": ").append(m.path("content").asText()).append('\n'));
                text.append("assistant:");
            } else {
                text.append(body.path("prompt").asText());
            }
            ObjectNode answer = JsonLines.JSON.createObjectNode();
            ArrayNode tokens = answer.putArray("tokens");
            text.codePoints().forEach(tokens::add);
            reply(exchange, answer);
        }

        private void completions(HttpExchange exchange) throws IOException {
            JsonNode body = read(exchange);
            StringBuilder prompt = new StringBuilder();
            body.path("prompt").forEach(t -> prompt.appendCodePoint(t.asInt()));
            ObjectNode answer = JsonLines.JSON.createObjectNode();
            ObjectNode choice = answer.putArray("choices").addObject();
            if (body.path("echo").asBoolean(false)) {
                ObjectNode logprobs = choice.putObject("logprobs");
                ArrayNode values = logprobs.putArray("token_logprobs");
                values.addNull();  // the first prompt token has no log-probability
                for (int i = 1; i < body.path("prompt").size(); i++) {
                    int t = body.path("prompt").get(i).asInt();
                    values.add(t == ' ' || t == 'A' || t == 'B' ? 0.0 : -1.0);
                }
                values.add(-0.5);  // the one generated token
                choice.put("text", prompt + "x");
                choice.put("finish_reason", "length");
            } else if (prompt.toString().contains("<<s4>>")) {
                choice.put("text", "Saya ragu, mungkin");
                choice.put("finish_reason", "length");
            } else {
                choice.put("text", "Sentimennya jelas. Jawaban:");
                choice.put("finish_reason", "stop");
            }
            reply(exchange, answer);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void backendSumsTheContinuationsLogprobsOnly() throws Exception {
        try (MockVllm vllm = new MockVllm();
                OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(vllm.baseUrl(), null, "m"))) {
            ChatRequest request = new ChatRequest(List.of(ChatMessage.user("<<s1>> Bagus")), 32, List.of(), 5L, Map.of("enable_thinking", false));
            LabelScore score = backend.scoreLabel(request, "Jawaban:", " A");
            assertThat(score.answer()).isEqualTo("Sentimennya jelas. Jawaban:");
            assertThat(score.logprob()).isEqualTo(0.0);
            assertThat(score.tokens()).isEqualTo(2);
            // " Ax": 'x' scores -1
            assertThat(backend.scoreLabel(request, "Jawaban:", " Ax").logprob()).isEqualTo(-1.0);
            // the conversation is tokenized by the server with its template; the answer stops at the tag and keeps it
            assertThat(vllm.paths.get(0)).isEqualTo("/tokenize");
            assertThat(vllm.bodies.get(0).path("add_generation_prompt").asBoolean()).isTrue();
            assertThat(vllm.bodies.get(0).path("chat_template_kwargs").path("enable_thinking").asBoolean()).isFalse();
            JsonNode generate = vllm.bodies.get(1);
            assertThat(vllm.paths.get(1)).isEqualTo("/v1/completions");
            assertThat(generate.path("stop").toString()).isEqualTo("[\"Jawaban:\"]");
            assertThat(generate.path("include_stop_str_in_output").asBoolean()).isTrue();
            assertThat(generate.path("seed").asLong()).isEqualTo(5);
            // an answer that did not stop at the tag is not scored
            LabelScore unscored = backend.scoreLabel(new ChatRequest(List.of(ChatMessage.user("<<s4>>")), 32, List.of(), null, Map.of()), "Jawaban:", " B");
            assertThat(unscored.scored()).isFalse();
            assertThat(unscored.finishReason()).isEqualTo("length");
        }
    }

    static final String CONFIG = """
            sentiment-logprobs:
              name: sentiment-logprobs
              competency: nlu
              metric_class: LogProbMetric
              metric: average_cumulative_probabilities
              use_logprobs: true
              max_n_runs: 1
              languages:
                id:
                  filepath: data/s.jsonl
                  max_tokens: 32
                  prompt_template:
                    preamble: "Jawab dengan \\"{answer_tag} ANSWER\\""
                    task_template: "{text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "Jawaban:"
            """;

    @Test
    void runnerScoresLabelsRunsOnceAndAggregatesByDraws(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        Files.createDirectories(tasks.resolve("data"));
        Files.writeString(tasks.resolve("config.yaml"), CONFIG);
        StringBuilder rows = new StringBuilder();
        String[] labels = {"A", "A", "B", "B"};
        for (int i = 1; i <= 4; i++) {
            rows.append("{\"id\": \"s").append(i).append("\", \"label\": \"").append(labels[i - 1])
                    .append("\", \"prompts\": [{\"text\": \"<<s").append(i).append(">>\"}]}\n");
        }
        Files.writeString(tasks.resolve("data/s.jsonl"), rows);
        try (MockVllm vllm = new MockVllm();
                OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(vllm.baseUrl(), null, "org/m"))) {
            EvalOptions options = new EvalOptions(tasks, null, List.of("sentiment-logprobs"), List.of(), 2, 0, false, null, 0, 0,
                    tmp.resolve("out"), null, null, null, null);
            EvalRunner.Result result = new EvalRunner(options, backend).run();
            assertThat(result.skipped()).isEmpty();
            // max_n_runs 1: no second run although two were asked for
            assertThat(tmp.resolve("out/run_1/responses/id/sentiment-logprobs.jsonl")).doesNotExist();
            // s1..s3 have probability 100%, s4 was not scored (0): every draw gets A 2/2, B 1/2 -> 0.75 -> 50
            var task = result.scores().languages().get("id").competencies().get("nlu").tasks().get("sentiment-logprobs");
            assertThat(task.score().mean()).isCloseTo(50, within(1e-9));
            JsonNode metrics = JsonLines.JSON.readTree(tmp.resolve("out/run_0/results.json").toFile()).path("id").path("nlu").path("sentiment-logprobs");
            assertThat(metrics.path("null_count").asDouble()).isEqualTo(1.0);
            assertThat(metrics.path("average_cumulative_probabilities").asDouble()).isCloseTo(75, within(1e-12));
            assertThat(metrics.path("average_cumulative_logprobs").asDouble()).isEqualTo(0.0);
            List<ObjectNode> responses = JsonLines.read(tmp.resolve("out/run_0/responses/id/sentiment-logprobs.jsonl"));
            ObjectNode first = responses.stream().filter(r -> r.path("id").asText().equals("s1")).findFirst().orElseThrow();
            assertThat(first.path("content").asText()).isEqualTo("Sentimennya jelas. Jawaban: A");
            assertThat(first.path("logprob").asDouble()).isEqualTo(0.0);
            int requests = vllm.bodies.size();
            // resuming asks nothing again
            new EvalRunner(options, backend).run();
            assertThat(vllm.bodies).hasSize(requests);
        }
    }
}
