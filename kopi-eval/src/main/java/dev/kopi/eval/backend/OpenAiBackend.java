package dev.kopi.eval.backend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A backend that calls an OpenAI-compatible {@code /chat/completions} endpoint (kopi serve, vLLM, SGLang, the
 * SEA-LION API); log-probability tasks use vLLM's {@code /tokenize} and {@code /completions}. Transient failures (connection errors, 408, 429, 5xx) are retried with exponential backoff and
 * jitter, honouring {@code Retry-After}; other 4xx answers are final and reported as {@link RequestRejected}.
 */
public final class OpenAiBackend implements LogprobBackend {
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
        return parse(post(settings.baseUrl() + "/chat/completions", body(request)));
    }

    /**
     * SEA-HELM's log-probability scoring against a vLLM server: the conversation is rendered and tokenized by the
     * server ({@code /tokenize} with {@code messages}), the answer is generated from those token ids on
     * {@code /completions} with the tag as a stop string kept in the output, and the continuation's log-probabilities
     * come from one more {@code /completions} call that echoes the prompt (prompt + answer + continuation as token
     * ids) with {@code logprobs}.
     */
    @Override
    public LabelScore scoreLabel(ChatRequest request, String answerTag, String continuation) throws IOException, InterruptedException {
        ObjectNode chat = JSON.createObjectNode();
        chat.put("model", settings.model());
        chat.set("messages", body(request).get("messages"));
        chat.put("add_generation_prompt", true);
        if (!request.chatTemplateKwargs().isEmpty()) {
            chat.set("chat_template_kwargs", JSON.valueToTree(request.chatTemplateKwargs()));
        }
        List<Integer> prompt = tokens(chat);

        ObjectNode generate = JSON.createObjectNode();
        generate.put("model", settings.model());
        generate.set("prompt", JSON.valueToTree(prompt));
        generate.put("max_tokens", request.maxTokens());
        generate.putArray("stop").add(answerTag);
        generate.put("include_stop_str_in_output", true);
        if (request.seed() != null) {
            generate.put("seed", request.seed());
        }
        settings.extraBody().forEach((k, v) -> generate.set(k, JSON.valueToTree(v)));
        JsonNode answer = completionChoice(post(settings.baseUrl() + "/completions", generate));
        String text = answer.path("text").asText("");
        String finishReason = answer.path("finish_reason").asText(null);
        if (!LogprobBackend.stoppedAtStop(finishReason)) {
            return new LabelScore(text, finishReason, Double.NaN, 0);
        }
        List<Integer> context = new ArrayList<>(prompt);
        context.addAll(tokens(text));
        List<Integer> scored = tokens(continuation);
        List<Integer> all = new ArrayList<>(context);
        all.addAll(scored);

        ObjectNode echo = JSON.createObjectNode();
        echo.put("model", settings.model());
        echo.set("prompt", JSON.valueToTree(all));
        echo.put("max_tokens", 1);
        echo.put("echo", true);
        echo.put("logprobs", 1);
        JsonNode logprobs = completionChoice(post(settings.baseUrl() + "/completions", echo)).path("logprobs").path("token_logprobs");
        if (!logprobs.isArray() || logprobs.size() < all.size()) {
            throw new IOException("endpoint returned no prompt log-probabilities (needs /completions with echo and logprobs, as vLLM serves it)");
        }
        double sum = 0;
        for (int i = context.size(); i < all.size(); i++) {
            sum += logprobs.get(i).asDouble();
        }
        return new LabelScore(text, finishReason, sum, scored.size());
    }

    /** Token ids from the server's {@code /tokenize} (next to {@code /v1}) of a prompt, without special tokens. */
    private List<Integer> tokens(String text) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        body.put("prompt", text);
        body.put("add_special_tokens", false);
        return tokens(body);
    }

    private List<Integer> tokens(ObjectNode body) throws IOException, InterruptedException {
        String root = settings.baseUrl().endsWith("/v1") ? settings.baseUrl().substring(0, settings.baseUrl().length() - 3) : settings.baseUrl();
        JsonNode tokens = readJson(post(root + "/tokenize", body)).path("tokens");
        if (!tokens.isArray()) {
            throw new IOException("/tokenize answered without 'tokens' (log-probability tasks need a vLLM server)");
        }
        List<Integer> ids = new ArrayList<>(tokens.size());
        tokens.forEach(t -> ids.add(t.asInt()));
        return ids;
    }

    private static JsonNode completionChoice(String responseBody) throws IOException {
        JsonNode choice = readJson(responseBody).path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new IOException("endpoint answer has no choices[0]: " + snippet(responseBody));
        }
        return choice;
    }

    /**
     * Posts {@code body} to {@code url} and returns the answer's body. Transient failures are retried with backoff;
     * a 4xx other than 408 and 429 is final ({@link RequestRejected}).
     */
    private String post(String url, ObjectNode body) throws IOException, InterruptedException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        IOException last = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (limiter != null) {
                limiter.acquire();
            }
            long retryAfterMillis = -1;
            try {
                HttpResponse<String> response = http.send(httpRequest(url, bytes), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return response.body();
                }
                String message = "HTTP " + status + " from " + url + ": " + snippet(response.body());
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

    private HttpRequest httpRequest(String url, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
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

    private static JsonNode readJson(String responseBody) throws IOException {
        try {
            return JSON.readTree(responseBody);
        } catch (IOException e) {
            throw new IOException("endpoint answered with malformed JSON: " + snippet(responseBody), e);
        }
    }

    static Completion parse(String responseBody) throws IOException {
        JsonNode root = readJson(responseBody);
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
