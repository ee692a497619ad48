package dev.kopi.eval.backend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A backend that calls an OpenAI-compatible {@code /chat/completions} endpoint (kopi serve, vLLM, SGLang, the
 * SEA-LION API). Transient failures (connection errors, 408, 429, 5xx) are retried with exponential backoff and
 * jitter, honouring {@code Retry-After}; other 4xx answers are final and reported as {@link RequestRejected}.
 */
public final class OpenAiBackend implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Endpoint settings.
     *
     * @param baseUrl        e.g. {@code http://127.0.0.1:8000/v1}
     * @param apiKey         bearer token, or null
     * @param requestsPerMinute 0 for no limit
     * @param maxRetries     retries after the first attempt for transient failures
     * @param initialBackoff backoff before the first retry; doubles each retry
     * @param extraBody      fields added to every request body (e.g. {@code temperature})
     */
    public record Settings(
            String baseUrl, String apiKey, String model, int concurrency, double requestsPerMinute, int maxRetries,
            Duration initialBackoff, Duration timeout, Map<String, Object> extraBody) {
        public Settings {
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("endpoint must be an http(s) URL, got " + baseUrl);
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("a model name is required");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
            if (requestsPerMinute < 0) {
                throw new IllegalArgumentException("requests per minute must not be negative, got " + requestsPerMinute);
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("retries must not be negative, got " + maxRetries);
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            extraBody = extraBody == null ? Map.of() : Map.copyOf(extraBody);
        }

        public static Settings of(String baseUrl, String apiKey, String model) {
            return new Settings(baseUrl, apiKey, model, 4, 0, 6, Duration.ofSeconds(1), Duration.ofMinutes(30), Map.of());
        }

        public Settings withConcurrency(int n) {
            return new Settings(baseUrl, apiKey, model, n, requestsPerMinute, maxRetries, initialBackoff, timeout, extraBody);
        }

        public Settings withRequestsPerMinute(double rpm) {
            return new Settings(baseUrl, apiKey, model, concurrency, rpm, maxRetries, initialBackoff, timeout, extraBody);
        }

        public Settings withRetries(int retries, Duration backoff) {
            return new Settings(baseUrl, apiKey, model, concurrency, requestsPerMinute, retries, backoff, timeout, extraBody);
        }
    }

    private final Settings settings;
    private final HttpClient http;
    private final RateLimiter limiter;

    public OpenAiBackend(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build();
        this.limiter = settings.requestsPerMinute() > 0 ? new RateLimiter(settings.requestsPerMinute()) : null;
    }

    @Override
    public int concurrency() {
        return settings.concurrency();
    }

    @Override
    public String modelName() {
        return settings.model();
    }

    @Override
    public Completion complete(ChatRequest request) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(body(request));
        IOException last = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (limiter != null) {
                limiter.acquire();
            }
            long retryAfterMillis = -1;
            try {
                HttpResponse<String> response = http.send(httpRequest(body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return parse(response.body());
                }
                String message = "HTTP " + status + " from " + settings.baseUrl() + ": " + snippet(response.body());
                if (status != 408 && status != 429 && status < 500) {
                    throw new RequestRejected(message);
                }
                last = new IOException(message);
                retryAfterMillis = response.headers().firstValue("Retry-After").map(OpenAiBackend::seconds).orElse(-1L);
            } catch (RequestRejected e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
            if (attempt < settings.maxRetries()) {
                long backoff = settings.initialBackoff().toMillis() << Math.min(attempt, 20);
                long jitter = ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
                TimeUnit.MILLISECONDS.sleep(Math.max(backoff + jitter, retryAfterMillis));
            }
        }
        throw new IOException("gave up after " + (settings.maxRetries() + 1) + " attempts: " + last.getMessage(), last);
    }

    private static long seconds(String retryAfter) {
        try {
            return (long) (Double.parseDouble(retryAfter.trim()) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private HttpRequest httpRequest(byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/chat/completions"))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        return builder.build();
    }

    private ObjectNode body(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("max_tokens", request.maxTokens());
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        if (!request.chatTemplateKwargs().isEmpty()) {
            body.set("chat_template_kwargs", JSON.valueToTree(request.chatTemplateKwargs()));
        }
        settings.extraBody().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        request.extra().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        return body;
    }

    static Completion parse(String responseBody) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(responseBody);
        } catch (IOException e) {
            throw new IOException("endpoint answered with malformed JSON: " + snippet(responseBody), e);
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (message.isMissingNode()) {
            throw new IOException("endpoint answer has no choices[0].message: " + snippet(responseBody));
        }
        JsonNode reasoning = message.hasNonNull("reasoning_content") ? message.get("reasoning_content") : message.get("reasoning");
        return Completion.splitThinking(
                message.path("content").isNull() ? "" : message.path("content").asText(""),
                reasoning == null || reasoning.isNull() ? null : reasoning.asText(),
                choice.path("finish_reason").asText(null),
                root.path("usage").path("prompt_tokens").asInt(0),
                root.path("usage").path("completion_tokens").asInt(0));
    }

    private static String snippet(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
