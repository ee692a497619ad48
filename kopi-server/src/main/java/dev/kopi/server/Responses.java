package dev.kopi.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.engine.generate.GenerationHandle;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.StopReason;
import io.helidon.webserver.http.ServerResponse;

import java.util.UUID;

/** What every answer shares: ids, the envelope fields, usage, finish reasons, and writing JSON or an error. */
final class Responses {
    private final String modelName;

    Responses(String modelName) {
        this.modelName = modelName;
    }

    String modelName() {
        return modelName;
    }

    /** A fresh id such as {@code chatcmpl-<32 hex digits>}. */
    String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** {@code {"id", "object", "created", "model"}} for a new answer. */
    ObjectNode envelope(String idPrefix, String object) {
        return envelope(newId(idPrefix), now(), object);
    }

    /** The envelope of one event of a stream: every event of a stream has the same id and time. */
    ObjectNode envelope(String id, long created, String object) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("object", object);
        json.put("created", created);
        json.put("model", modelName);
        return json;
    }

    static ObjectNode usage(int promptTokens, int completionTokens) {
        return Json.MAPPER.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    /** OpenAI's finish reason: "length" when a limit cut the answer, else "stop". */
    static String finishReason(StopReason reason) {
        return switch (reason) {
            case MAX_TOKENS, CONTEXT_FULL -> "length";
            case END_OF_GENERATION, STOP_STRING, CANCELLED -> "stop";
        };
    }

    /**
     * Waits for a generation. A generator that closed (the server stopping) is a 503, anything else that failed
     * a 500; the waiting thread being interrupted cancels the generation.
     */
    static GenerationResult await(GenerationHandle handle) throws InterruptedException {
        try {
            return handle.await();
        } catch (IllegalStateException e) {
            throw ApiError.unavailable("the generation stopped: " + e.getMessage());
        } catch (RuntimeException e) {
            throw ApiError.internal("the generation failed: " + e);
        }
    }

    void json(ServerResponse response, int status, Object body) {
        response.status(status);
        response.header("Content-Type", "application/json");
        response.send(Json.write(body));
    }

    void error(ServerResponse response, ApiError error) {
        json(response, error.status(), error.toJson());
    }
}
