package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.engine.Model;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.template.ChatTemplate;
import dev.kopi.tokenizer.Tokenizer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;

/**
 * An OpenAI-compatible HTTP server over one loaded model, as llama-server and vLLM serve: chat and text
 * completions (streamed or whole), models, tokenize/detokenize and health. Concurrent requests share the model
 * through continuous batching over {@link Settings#parallel} slots; more wait their turn. Each request runs on a
 * virtual thread of Helidon's web server.
 *
 * <pre>{@code
 * try (Model model = ModelLoader.load(path, threads);
 *      KopiServer server = KopiServer.start(model, tokenizer, ChatSession.templateOf(tokenizer),
 *              KopiServer.Settings.of("qwen3").withPort(8080).withParallel(4))) {
 *     server.awaitStop();
 * }
 * }</pre>
 */
public final class KopiServer implements AutoCloseable {
    /**
     * How the server runs.
     *
     * @param host          address to listen on ({@code 127.0.0.1}: this machine only)
     * @param port          TCP port; 0 picks a free one (see {@link #port()})
     * @param parallel      generations that run at once (KV cache slots); further requests queue
     * @param contextLength positions of each request: prompt plus answer
     * @param apiKey        the bearer token every request but {@code /health} must carry, or null for none
     * @param modelName     the name {@code /v1/models} lists and answers carry
     * @param sampling      sampling for the parameters a request leaves out (its seed is not used: a request
     *                      without one gets a random seed)
     */
    public record Settings(String host, int port, int parallel, int contextLength, String apiKey, String modelName,
                           SamplerSettings sampling) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(modelName, "modelName");
            Objects.requireNonNull(sampling, "sampling");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel slots must be at least 1, got " + parallel);
            }
            if (contextLength < 1) {
                throw new IllegalArgumentException("context length must be positive, got " + contextLength);
            }
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException("the API key must not be blank");
            }
        }

        /** 127.0.0.1:8080, one slot of 4096 positions, no API key, llama.cpp's default sampling. */
        public static Settings of(String modelName) {
            return new Settings("127.0.0.1", 8080, 1, 4096, null, modelName, SamplerSettings.defaults(0));
        }

        public Settings withHost(String h) {
            return new Settings(h, port, parallel, contextLength, apiKey, modelName, sampling);
        }

        public Settings withPort(int p) {
            return new Settings(host, p, parallel, contextLength, apiKey, modelName, sampling);
        }

        public Settings withParallel(int n) {
            return new Settings(host, port, n, contextLength, apiKey, modelName, sampling);
        }

        public Settings withContextLength(int n) {
            return new Settings(host, port, parallel, n, apiKey, modelName, sampling);
        }

        public Settings withApiKey(String key) {
            return new Settings(host, port, parallel, contextLength, key, modelName, sampling);
        }

        public Settings withSampling(SamplerSettings s) {
            return new Settings(host, port, parallel, contextLength, apiKey, modelName, s);
        }
    }

    private final Settings settings;
    private final ModelHost host;
    private final Responses responses;
    private final ChatCompletions chat;
    private final Completions completions;
    private final byte[] apiKey;
    private final WebServer web;

    private KopiServer(Model model, Tokenizer tokenizer, ChatTemplate template, Settings settings) {
        this.settings = settings;
        this.host = new ModelHost(model, tokenizer, template, settings.parallel(), settings.contextLength());
        this.responses = new Responses(settings.modelName());
        this.chat = new ChatCompletions(host, responses, settings.sampling());
        this.completions = new Completions(host, responses, settings.sampling());
        this.apiKey = settings.apiKey() == null ? null : settings.apiKey().getBytes(StandardCharsets.UTF_8);
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.get("/health", endpoint(false, (request, response) -> health(response)));
        for (String prefix : new String[] {"/v1", ""}) { // llama-server answers without the /v1 too
            routing.get(prefix + "/models", endpoint(true, (request, response) -> models(response)));
            routing.post(prefix + "/chat/completions", endpoint(true, (request, response) ->
                    chat.handle(body(request), response)));
            routing.post(prefix + "/completions", endpoint(true, (request, response) ->
                    completions.handle(body(request), response)));
        }
        routing.post("/tokenize", endpoint(true, (request, response) -> tokenize(body(request), response)));
        routing.post("/detokenize", endpoint(true, (request, response) -> detokenize(body(request), response)));
        routing.any(endpoint(false, (request, response) -> {
            throw ApiError.notFound("no endpoint " + request.prologue().method().text() + " "
                    + request.path().path());
        }));
        try {
            this.web = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownGracePeriod(Duration.ofSeconds(1))
                    .routing(routing)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /**
     * Starts serving {@code model} (which stays the caller's: close it after the server).
     *
     * @param template the chat template chat completions render with, usually {@code ChatSession.templateOf}
     * @throws IllegalArgumentException if the settings do not fit the model
     * @throws RuntimeException if the port cannot be bound
     */
    public static KopiServer start(Model model, Tokenizer tokenizer, ChatTemplate template, Settings settings) {
        return new KopiServer(model, tokenizer, template, settings);
    }

    public Settings settings() {
        return settings;
    }

    /** The port the server listens on (the one picked when the settings asked for 0). */
    public int port() {
        return web.port();
    }

    /** The OpenAI base URL, e.g. {@code http://127.0.0.1:8080/v1}. */
    public URI baseUrl() {
        String h = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + h + ":" + port() + "/v1");
    }

    /** Generations submitted and not yet finished: running in a slot or waiting for one. */
    public int generationsInFlight() {
        return host.inFlight();
    }

    public boolean isRunning() {
        return web.isRunning();
    }

    /** Stops listening and generating; unfinished requests get an error. Does not close the model. */
    @Override
    public void close() {
        try {
            web.stop();
        } finally {
            host.close();
        }
    }

    /** The body of a request: a JSON object. */
    private static RequestFields body(ServerRequest request) {
        return new RequestFields(Json.readObject(request.content().hasEntity()
                ? request.content().as(byte[].class) : new byte[0]));
    }

    @FunctionalInterface
    private interface Endpoint {
        void handle(ServerRequest request, ServerResponse response) throws Exception;
    }

    /**
     * An endpoint behind the API key check (when {@code guarded}), whose failures become OpenAI error answers:
     * an {@link ApiError} as it says, anything else a 500 with one line (never a stack trace).
     */
    private Handler endpoint(boolean guarded, Endpoint endpoint) {
        return (request, response) -> {
            try {
                if (guarded) {
                    authorize(request);
                }
                endpoint.handle(request, response);
            } catch (ApiError e) {
                answerError(response, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answerError(response, ApiError.unavailable("the server is stopping"));
            } catch (Exception | StackOverflowError e) {
                System.err.println("kopi serve: " + request.prologue().method().text() + " " + request.path().path()
                        + " failed: " + e);
                answerError(response, ApiError.internal("internal error: " + e));
            }
        };
    }

    private void answerError(ServerResponse response, ApiError error) {
        try {
            responses.error(response, error);
        } catch (RuntimeException e) {
            // an answer was already under way (a stream): its client learns of the failure by its end
        }
    }

    private void authorize(ServerRequest request) {
        if (apiKey == null) {
            return;
        }
        String given = request.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION)
                .map(v -> v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).strip() : null)
                .or(() -> request.headers().first(io.helidon.http.HeaderNames.create("X-Api-Key")))
                .orElse(null);
        if (given == null) {
            throw ApiError.unauthorized("missing API key: send it as 'Authorization: Bearer KEY'");
        }
        if (!MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("invalid API key");
        }
    }

    private void health(ServerResponse response) {
        responses.json(response, 200, Json.MAPPER.createObjectNode().put("status", "ok")
                .put("slots", host.parallel()).put("generations_in_flight", host.inFlight()));
    }

    private void models(ServerResponse response) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("object", "list");
        body.putArray("data").addObject()
                .put("id", settings.modelName())
                .put("object", "model")
                .put("created", Responses.now())
                .put("owned_by", "kopi")
                .put("max_model_len", host.contextLength());
        responses.json(response, 200, body);
    }

    /** llama-server's {@code /tokenize}: {"content", "add_special", "with_pieces"} to {"tokens"}. */
    private void tokenize(RequestFields request, ServerResponse response) {
        String content = request.string("content");
        if (content == null) {
            throw ApiError.invalid("'content' is required: the text to tokenize", "content");
        }
        boolean addSpecial = request.bool("add_special", false);
        boolean withPieces = request.bool("with_pieces", false);
        Tokenizer tokenizer = host.tokenizer();
        int[] ids = tokenizer.encode(content, addSpecial);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode tokens = body.putArray("tokens");
        for (int id : ids) {
            if (withPieces) {
                tokens.addObject().put("id", id).put("piece", tokenizer.decode(new int[] {id}));
            } else {
                tokens.add(id);
            }
        }
        responses.json(response, 200, body);
    }

    /** llama-server's {@code /detokenize}: {"tokens"} to {"content"}. */
    private void detokenize(RequestFields request, ServerResponse response) {
        JsonNode tokens = request.array("tokens");
        if (tokens == null) {
            throw ApiError.invalid("'tokens' is required: an array of token ids", "tokens");
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = tokens.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || host.tokenizer().token(id.intValue()) == null) {
                throw ApiError.invalid("'tokens[" + i + "]' must be a token id of this model, got "
                        + RequestFields.describe(id), "tokens");
            }
            ids[i] = id.intValue();
        }
        responses.json(response, 200, Json.MAPPER.createObjectNode().put("content", host.tokenizer().decode(ids)));
    }
}
