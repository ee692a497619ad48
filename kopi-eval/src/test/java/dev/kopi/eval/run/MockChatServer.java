package dev.kopi.eval.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.kopi.eval.data.JsonLines;

/**
 * An OpenAI-compatible {@code /v1/chat/completions} endpoint on 127.0.0.1 that answers from a script: a function of
 * the request body returning the assistant message (content and optional reasoning_content). Every request body is
 * kept for assertions.
 */
final class MockChatServer implements AutoCloseable {
    /** A scripted answer. */
    record Reply(int status, String content, String reasoning) {
        static Reply ok(String content) {
            return new Reply(200, content, null);
        }
    }

    private final HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger served = new AtomicInteger();

    MockChatServer(Function<JsonNode, Reply> script, long delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, script, delayMillis));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange, Function<JsonNode, Reply> script, long delayMillis) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JsonLines.JSON.readTree(in);
            requests.add(body);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Reply reply = script.apply(body);
            ObjectNode answer = JsonLines.JSON.createObjectNode();
            if (reply.status() == 200) {
                ObjectNode choice = answer.putArray("choices").addObject();
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                message.put("content", reply.content());
                if (reply.reasoning() != null) {
                    message.put("reasoning_content", reply.reasoning());
                }
                choice.put("finish_reason", "stop");
                answer.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 3);
            } else {
                answer.putObject("error").put("message", reply.content());
            }
            byte[] bytes = JsonLines.JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            served.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** The content of the last user message of a request. */
    static String lastUser(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asText().equals("user")) {
                return messages.get(i).path("content").asText();
            }
        }
        return "";
    }

    /** A script answering by the first key of {@code answers} that the last user message contains. */
    static Function<JsonNode, Reply> byMarker(Map<String, Reply> answers) {
        return body -> {
            String prompt = lastUser(body);
            return answers.entrySet().stream()
                    .filter(e -> prompt.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no scripted answer for prompt: " + prompt));
        };
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
