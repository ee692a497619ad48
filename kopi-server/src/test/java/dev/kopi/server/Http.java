package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for the tests: requests as bytes, answers as text, JSON and server-sent events. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer: status, body, and the body as JSON when it is JSON. */
    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The JSON of each {@code data:} event, {@code [DONE]} as a text node. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String event : body.split("\n\n")) {
                if (event.isBlank()) {
                    continue;
                }
                if (!event.startsWith("data: ")) {
                    throw new AssertionError("not a data event: " + event);
                }
                String data = event.substring("data: ".length());
                try {
                    events.add(data.equals("[DONE]") ? JSON.getNodeFactory().textNode(data) : JSON.readTree(data));
                } catch (IOException e) {
                    throw new AssertionError("event is not JSON: " + data, e);
                }
            }
            return events;
        }
    }

    private Http() {
    }

    static Answer post(KopiServer server, String path, String json) {
        return send(server, path, "POST", json.getBytes(StandardCharsets.UTF_8), TestServers.API_KEY);
    }

    static Answer post(KopiServer server, String path, JsonNode json) {
        return post(server, path, json.toString());
    }

    static Answer get(KopiServer server, String path) {
        return send(server, path, "GET", null, TestServers.API_KEY);
    }

    static Answer send(KopiServer server, String path, String method, byte[] body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
