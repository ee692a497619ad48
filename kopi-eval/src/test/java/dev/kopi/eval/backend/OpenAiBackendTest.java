package dev.kopi.eval.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class OpenAiBackendTest {
    static final ChatRequest REQUEST = new ChatRequest(List.of(ChatMessage.user("hi")), 8, List.of("\n\n"), 3L, Map.of("enable_thinking", false));

    interface Handler {
        void handle(int call, com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException;
    }

    static HttpServer server(Handler handler) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            handler.handle(calls.incrementAndGet(), exchange);
            exchange.close();
        });
        server.start();
        return server;
    }

    static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Test
    void retriesTransientFailuresThenSucceeds() throws Exception {
        HttpServer server = server((call, exchange) -> {
            if (call == 1) {
                send(exchange, 503, "busy");
            } else if (call == 2) {
                exchange.getResponseHeaders().add("Retry-After", "0.05");
                send(exchange, 429, "slow down");
            } else {
                send(exchange, 200, "{\"choices\":[{\"message\":{\"content\":\"ok\",\"reasoning_content\":\"why\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}");
            }
        });
        try (OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(url(server), "k", "m").withRetries(3, Duration.ofMillis(10)))) {
            Completion completion = backend.complete(REQUEST);
            assertThat(completion).isEqualTo(new Completion("ok", "why", "stop", 4, 1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void clientErrorsAreFinalAndRetriesEnd() throws Exception {
        HttpServer server = server((call, exchange) -> send(exchange, call == 1 ? 400 : 500, "{\"error\":\"context too long\"}"));
        try (OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(url(server), null, "m").withRetries(1, Duration.ofMillis(1)))) {
            assertThatThrownBy(() -> backend.complete(REQUEST)).isInstanceOf(RequestRejected.class)
                    .hasMessageContaining("HTTP 400").hasMessageContaining("context too long");
            assertThatThrownBy(() -> backend.complete(REQUEST)).hasMessageContaining("gave up after 2 attempts").hasMessageContaining("HTTP 500");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void malformedAnswerIsReported() throws Exception {
        HttpServer server = server((call, exchange) -> send(exchange, 200, "{not json"));
        try (OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(url(server), null, "m").withRetries(0, Duration.ofMillis(1)))) {
            assertThatThrownBy(() -> backend.complete(REQUEST)).hasMessageContaining("malformed JSON");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void inlineThinkingIsSeparated() {
        assertThat(Completion.splitThinking("<think>a\nb</think>\n\nJawaban: X", null, null, 0, 0))
                .isEqualTo(new Completion("Jawaban: X", "a\nb", null, 0, 0));
        assertThat(Completion.splitThinking("Jawaban: X", null, null, 0, 0).reasoning()).isNull();
    }

    @Test
    void rateLimiterSpacesStartsEvenly() throws Exception {
        long[] now = {0};
        List<Long> sleeps = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(10, () -> now[0], nanos -> sleeps.add(nanos));
        for (int i = 0; i < 3; i++) {
            limiter.acquire();
        }
        // 10 per minute: one start every 6 s; the second waits 6 s, the third 12 s (no time passed)
        assertThat(sleeps).containsExactly(6_000_000_000L, 12_000_000_000L);
        now[0] = 60_000_000_000L;
        limiter.acquire();
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> OpenAiBackend.Settings.of("ftp://x", null, "m")).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> OpenAiBackend.Settings.of("http://x", null, " ")).hasMessageContaining("model name");
        assertThatThrownBy(() -> OpenAiBackend.Settings.of("http://x", null, "m").withConcurrency(0)).hasMessageContaining("concurrency");
    }
}
