package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kopi.server.TestServers.CONTEXT;
import static dev.kopi.server.TestServers.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat completions of the random-weight tiny Qwen3 against kopi's own in-process chat ({@link ChatSession}, what
 * {@code kopi chat} runs) on a second instance of the same model: the server must give exactly what the library
 * gives, whole, streamed, and under concurrent load.
 */
class ChatCompletionsTest {
    static final String SYSTEM = "Anda pembantu yang berguna.";

    @Test
    void greedyChatCompletionEqualsTheInProcessChat() {
        GenerationResult expected = reference("Apa khabar hari ini?", SamplerSettings.greedy(), 12);
        Http.Answer answer = Http.post(SERVER, "/v1/chat/completions", request("Apa khabar hari ini?", 12)
                .put("temperature", 0));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.get("id").asText()).startsWith("chatcmpl-");
        assertThat(json.get("object").asText()).isEqualTo("chat.completion");
        assertThat(json.get("model").asText()).isEqualTo(TestServers.MODEL_NAME);
        JsonNode choice = json.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo(expected.content());
        assertThat(choice.get("finish_reason").asText()).isEqualTo(expected.stopReason().name().equals("MAX_TOKENS")
                ? "length" : "stop");
        assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(expected.promptTokens());
        assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(expected.tokens().length);
        assertThat(json.get("usage").get("total_tokens").asInt())
                .isEqualTo(expected.promptTokens() + expected.tokens().length);
    }

    @Test
    void streamedChunksConcatenateToTheWholeAnswer() {
        ObjectNode request = request("Ceritakan tentang kucing.", 10).put("temperature", 1.0).put("seed", 7);
        String whole = Http.post(SERVER, "/v1/chat/completions", request).json()
                .get("choices").get(0).get("message").get("content").asText();
        assertThat(whole).isEqualTo(reference("Ceritakan tentang kucing.",
                SamplerSettings.defaults(7).withTemperature(1.0f), 10).content());

        request.put("stream", true).putObject("stream_options").put("include_usage", true);
        Http.Answer answer = Http.post(SERVER, "/v1/chat/completions", request);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = answer.events();
        assertThat(events.getLast().asText()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1);
        StringBuilder streamed = new StringBuilder();
        for (JsonNode chunk : chunks) {
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("id").asText()).isEqualTo(chunks.getFirst().get("id").asText());
            assertThat(chunk.has("usage")).isTrue();
            if (chunk.get("choices").isEmpty()) {
                continue;
            }
            streamed.append(chunk.get("choices").get(0).get("delta").path("content").asText(""));
        }
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        JsonNode last = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertThat(last.get("delta").isEmpty()).isTrue();
        assertThat(last.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices").isEmpty()).isTrue();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isBetween(1, 10);
        assertThat(streamed.toString()).isEqualTo(whole);
        assertThat(chunks.size()).as("one chunk per piece of text, not one for the whole answer").isGreaterThan(4);
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        String[] questions = {"Apa khabar?", "สวัสดีครับ", "Xin chào!", "வணக்கம்", "Kumusta ka?", "ជំរាបសួរ",
            "မင်္ဂလာပါ", "Selamat pagi, semua!"};
        List<Future<JsonNode>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < questions.length; i++) {
                ObjectNode request = request(questions[i], 4 + i).put("temperature", 1.0).put("seed", 100 + i);
                answers.add(clients.submit(() -> Http.post(SERVER, "/v1/chat/completions", request).json()));
            }
            for (int i = 0; i < questions.length; i++) {
                JsonNode json = answers.get(i).get(5, TimeUnit.MINUTES);
                GenerationResult expected = reference(questions[i], SamplerSettings.defaults(100 + i)
                        .withTemperature(1.0f), 4 + i);
                assertThat(json.get("choices").get(0).get("message").get("content").asText()).as(questions[i])
                        .isEqualTo(expected.content());
                assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(expected.tokens().length);
            }
        }
        assertThat(SERVER.generationsInFlight()).isZero();
    }

    @Test
    void aClientThatDisconnectsWhileStreamingCancelsItsGeneration() throws Exception {
        // how long would the whole generation take? calibrated on this machine, now
        long start = System.nanoTime();
        JsonNode calibration = Http.post(SERVER, "/v1/chat/completions", request("Hitung sampai dua puluh.", 24)
                .put("temperature", 1.0).put("seed", 3).put("ignore_eos", true)).json();
        double secondsPerToken = (System.nanoTime() - start) / 1e9
                / calibration.get("usage").get("completion_tokens").asInt();
        // sampled, not greedy: a random model's greedy choice may repeat a special token, which shows no text
        ObjectNode request = request("Tulis cerita yang sangat panjang.", CONTEXT).put("temperature", 1.0)
                .put("seed", 3).put("stream", true).put("ignore_eos", true);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        long disconnected;
        try (Socket socket = new Socket("127.0.0.1", SERVER.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestServers.API_KEY + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int contentEvents = 0;
            for (String line = in.readLine(); line != null && contentEvents < 3; line = in.readLine()) {
                if (line.contains("\"content\":\"") && !line.contains("\"role\"")) {
                    contentEvents++;
                }
            }
            assertThat(contentEvents).isEqualTo(3);
            assertThat(SERVER.generationsInFlight()).isEqualTo(1);
            disconnected = System.nanoTime();
        }
        while (SERVER.generationsInFlight() > 0) {
            assertThat((System.nanoTime() - disconnected) / 1e9).as("seconds until the generation stopped")
                    .isLessThan(60);
            Thread.sleep(10);
        }
        double stoppedAfter = (System.nanoTime() - disconnected) / 1e9;
        double wholeGeneration = secondsPerToken * (CONTEXT - 40);
        assertThat(stoppedAfter).as("seconds until the generation stopped; the whole one would take "
                + wholeGeneration).isLessThan(wholeGeneration / 4);
        // and the server goes on serving
        assertThat(Http.post(SERVER, "/v1/chat/completions", request("Halo", 2)).status()).isEqualTo(200);
    }

    static ObjectNode request(String user, int maxTokens) {
        ObjectNode request = Http.JSON.createObjectNode().put("model", TestServers.MODEL_NAME);
        request.putArray("messages")
                .add(Http.JSON.createObjectNode().put("role", "system").put("content", SYSTEM))
                .add(Http.JSON.createObjectNode().put("role", "user").put("content", user));
        request.put("max_tokens", maxTokens);
        request.putObject("chat_template_kwargs").put("enable_thinking", false);
        return request;
    }

    /** What {@code kopi chat} answers: the same conversation through {@link ChatSession} on the reference model. */
    static GenerationResult reference(String user, SamplerSettings sampling, int maxTokens) {
        ChatSession chat = new ChatSession(TestServers.REFERENCE, TestServers.TOKENIZER, TestServers.TEMPLATE, CONTEXT);
        chat.setThinking(false);
        chat.system(SYSTEM);
        return chat.send(user, GenerationOptions.of(sampling, maxTokens), TextListener.none(), () -> false);
    }
}
