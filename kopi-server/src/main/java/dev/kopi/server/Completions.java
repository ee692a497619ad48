package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.engine.generate.GenerationHandle;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.tokenizer.Tokenizer;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/completions}: raw text continuation as vLLM serves it. The prompt is a string, token ids, or a
 * list of either (one choice each, generated together in the batch). A string is tokenized with the model's
 * special tokens (BOS where the model has one), ids are used as they are. The text comes back whole, a
 * {@code <think>} block included. {@code logprobs: N} reports each generated token's log-probability and the
 * N most likely alternatives; with {@code echo} the prompt is returned in front of the answer and its tokens are
 * scored too (the first has none): what log-likelihood evaluations (lm-eval, SEA-HELM) ask for, usually with
 * {@code max_tokens: 0} or 1.
 */
final class Completions {
    /** vLLM's default cap on {@code logprobs}. */
    static final int MAX_LOGPROBS = 20;

    private final ModelHost host;
    private final Responses responses;
    private final SamplerSettings defaults;

    Completions(ModelHost host, Responses responses, SamplerSettings defaults) {
        this.host = host;
        this.responses = responses;
        this.defaults = defaults;
    }

    /** One prompt: its tokens, and its text as {@code echo} returns it. */
    private record Prompt(int[] tokens, String text) {
    }

    /** One submitted prompt. */
    private record Choice(Prompt prompt, GenerationHandle handle, TokenLogprobs logprobs) {
    }

    void handle(RequestFields request, ServerResponse response) throws InterruptedException {
        request.string("model");
        if (request.has("suffix")) {
            throw ApiError.unsupported("'suffix' (fill in the middle) is not supported", "suffix");
        }
        List<Prompt> prompts = prompts(request);
        Long top = request.integer("logprobs", 0, MAX_LOGPROBS);
        boolean echo = request.bool("echo", false);
        GenerationParameters parameters = GenerationParameters.read(request, defaults, 16, 0);
        GenerationOptions options = parameters.options().withSplitReasoning(false);
        for (Prompt prompt : prompts) {
            host.checkPrompt("prompt", prompt.tokens());
        }
        PieceQueue pieces = parameters.stream() ? new PieceQueue() : null;
        List<Choice> choices = new ArrayList<>();
        try {
            for (Prompt prompt : prompts) {
                TokenLogprobs logprobs = top == null ? null : new TokenLogprobs(top.intValue(), echo);
                int index = choices.size();
                TextListener listener = pieces == null ? TextListener.none() : pieces.listener(index, logprobs);
                GenerationHandle handle = host.submit("prompt", prompt.tokens(), parameters, options, listener, logprobs);
                if (pieces != null) {
                    pieces.finishWith(index, handle, logprobs);
                }
                choices.add(new Choice(prompt, handle, logprobs));
            }
        } catch (RuntimeException e) {
            choices.forEach(c -> c.handle().cancel());
            throw e;
        }
        if (pieces != null) {
            try {
                stream(choices, pieces, echo, parameters.includeUsage(), response);
            } finally {
                choices.forEach(c -> c.handle().cancel()); // no-ops once finished
            }
            return;
        }
        ObjectNode body = responses.envelope("cmpl", "text_completion");
        ArrayNode array = body.putArray("choices");
        int promptTokens = 0;
        int completionTokens = 0;
        for (int i = 0; i < choices.size(); i++) {
            Choice choice = choices.get(i);
            GenerationResult result = awaitAll(choices, i);
            LogprobsJson logprobs = choice.logprobs() == null ? null : new LogprobsJson(host.tokenizer());
            ObjectNode json = array.addObject().put("index", i)
                    .put("text", (echo ? choice.prompt().text() : "") + result.content());
            if (logprobs == null) {
                json.putNull("logprobs");
            } else {
                ObjectNode scores = echo ? logprobs.prompt(choice.prompt().tokens(), choice.logprobs().prompt())
                        : logprobs.empty();
                json.set("logprobs", logprobs.append(scores, choice.logprobs().generated()));
            }
            json.put("finish_reason", Responses.finishReason(result.stopReason()));
            promptTokens += result.promptTokens();
            completionTokens += result.tokens().length;
        }
        body.set("usage", Responses.usage(promptTokens, completionTokens));
        responses.json(response, 200, body);
    }

    /** Waits for choice {@code i}; if it failed, the others are cancelled before the failure is answered. */
    private static GenerationResult awaitAll(List<Choice> choices, int i) throws InterruptedException {
        try {
            return Responses.await(choices.get(i).handle());
        } catch (ApiError | InterruptedException e) {
            choices.forEach(c -> c.handle().cancel());
            throw e;
        }
    }

    private void stream(List<Choice> choices, PieceQueue pieces, boolean echo, boolean includeUsage,
                        ServerResponse response) throws InterruptedException {
        String id = responses.newId("cmpl");
        long created = Responses.now();
        List<LogprobsJson> scores = new ArrayList<>();
        try (EventStream events = new EventStream(response)) {
            for (int i = 0; i < choices.size(); i++) {
                Choice choice = choices.get(i);
                LogprobsJson logprobs = choice.logprobs() == null ? null : new LogprobsJson(host.tokenizer());
                scores.add(logprobs);
                if (echo) {
                    // the prompt's scores are complete once the first generated token (or the end) arrives
                    events.send(chunk(id, created, i, choice.prompt().text(), null, null));
                }
            }
            boolean[] promptSent = new boolean[choices.size()];
            int promptTokens = 0;
            int completionTokens = 0;
            for (int finished = 0; finished < choices.size(); ) {
                PieceQueue.Piece piece = pieces.take();
                int i = piece.choice();
                Choice choice = choices.get(i);
                LogprobsJson logprobs = scores.get(i);
                ObjectNode pieceScores = null;
                if (logprobs != null) {
                    pieceScores = echo && !promptSent[i]
                            ? logprobs.prompt(choice.prompt().tokens(), choice.logprobs().prompt()) : logprobs.empty();
                    promptSent[i] = true;
                    logprobs.append(pieceScores, piece.logprobs());
                }
                String finishReason = null;
                if (piece.kind() == PieceQueue.Kind.FINISHED) {
                    finished++;
                    GenerationResult result;
                    try {
                        result = Responses.await(choice.handle());
                    } catch (ApiError e) {
                        events.send(e.toJson());
                        events.done();
                        return;
                    }
                    finishReason = Responses.finishReason(result.stopReason());
                    promptTokens += result.promptTokens();
                    completionTokens += result.tokens().length;
                }
                if (!events.send(chunk(id, created, i, piece.text(), pieceScores, finishReason))) {
                    return; // the client has gone
                }
            }
            if (includeUsage) {
                ObjectNode usage = responses.envelope(id, created, "text_completion");
                usage.putArray("choices");
                usage.set("usage", Responses.usage(promptTokens, completionTokens));
                events.send(usage);
            }
            events.done();
        }
    }

    private ObjectNode chunk(String id, long created, int index, String text, ObjectNode logprobs, String finishReason) {
        ObjectNode chunk = responses.envelope(id, created, "text_completion");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index).put("text", text);
        choice.set("logprobs", logprobs);
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    /** The prompts of a request: a string, token ids, or a non-empty list of strings or of token-id lists. */
    private List<Prompt> prompts(RequestFields request) {
        JsonNode prompt = request.node("prompt");
        if (prompt == null) {
            throw ApiError.invalid("'prompt' is required: a string, an array of token ids, or an array of either",
                    "prompt");
        }
        List<Prompt> prompts = new ArrayList<>();
        if (prompt.isTextual()) {
            prompts.add(textPrompt(prompt.textValue()));
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
            prompts.add(idPrompt(prompt, "prompt"));
        } else if (prompt.isArray() && !prompt.isEmpty()) {
            for (int i = 0; i < prompt.size(); i++) {
                JsonNode item = prompt.get(i);
                if (item.isTextual()) {
                    prompts.add(textPrompt(item.textValue()));
                } else if (item.isArray()) {
                    prompts.add(idPrompt(item, "prompt[" + i + "]"));
                } else {
                    throw ApiError.invalid("'prompt[" + i + "]' must be a string or an array of token ids, got "
                            + RequestFields.describe(item), "prompt");
                }
            }
        } else {
            throw ApiError.invalid("'prompt' must be a string, an array of token ids, or a non-empty array of "
                    + "either, got " + RequestFields.describe(prompt), "prompt");
        }
        return prompts;
    }

    private Prompt textPrompt(String text) {
        return new Prompt(host.tokenizer().encode(text, true), text);
    }

    private Prompt idPrompt(JsonNode ids, String path) {
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw ApiError.invalid("'" + path + "[" + i + "]' must be a token id, got "
                        + RequestFields.describe(id), "prompt");
            }
            tokens[i] = id.intValue();
        }
        host.checkPrompt("prompt", tokens);
        return new Prompt(tokens, host.tokenizer().decode(tokens));
    }

    /**
     * vLLM's {@code logprobs} object of a completion choice: parallel arrays {@code tokens},
     * {@code token_logprobs}, {@code top_logprobs} (token text to log-probability: the N best and the chosen
     * token) and {@code text_offset} (where each token's text starts, counting characters as Python does).
     */
    static final class LogprobsJson {
        private final Tokenizer tokenizer;
        private int offset;

        LogprobsJson(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        ObjectNode empty() {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.putArray("tokens");
            json.putArray("token_logprobs");
            json.putArray("top_logprobs");
            json.putArray("text_offset");
            return json;
        }

        /** The prompt's tokens: the first unscored, the rest with {@code scores}. */
        ObjectNode prompt(int[] tokens, List<TokenLogprobs.Entry> scores) {
            ObjectNode json = empty();
            add(json, tokens[0], null);
            return append(json, scores);
        }

        ObjectNode append(ObjectNode json, List<TokenLogprobs.Entry> entries) {
            for (TokenLogprobs.Entry entry : entries) {
                add(json, entry.token(), entry);
            }
            return json;
        }

        private void add(ObjectNode json, int token, TokenLogprobs.Entry entry) {
            String text = text(token);
            ((ArrayNode) json.get("tokens")).add(text);
            ((ArrayNode) json.get("text_offset")).add(offset);
            offset += text.codePointCount(0, text.length());
            if (entry == null) {
                ((ArrayNode) json.get("token_logprobs")).addNull();
                ((ArrayNode) json.get("top_logprobs")).addNull();
                return;
            }
            ((ArrayNode) json.get("token_logprobs")).add(entry.logprob());
            ObjectNode top = ((ArrayNode) json.get("top_logprobs")).addObject();
            for (int i = 0; i < entry.topTokens().length; i++) {
                top.put(text(entry.topTokens()[i]), entry.topLogprobs()[i]);
            }
            top.put(text, entry.logprob());
        }

        /** A token's own text (special tokens included); an id the tokenizer lacks reads as empty. */
        private String text(int token) {
            return tokenizer.token(token) == null ? "" : tokenizer.decode(new int[] {token});
        }
    }
}
