package dev.kopi.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, answered in OpenAI's error shape:
 * {@code {"error": {"message", "type", "param", "code"}}} with an HTTP status. The message is one line that names
 * the problem; it never carries a stack trace.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiError(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is malformed or a parameter is out of range; {@code param} names it, or is null. */
    static ApiError invalid(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, null);
    }

    static ApiError invalid(String message) {
        return invalid(message, null);
    }

    /** 400 for a parameter kopi understands but does not implement. */
    static ApiError unsupported(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, "unsupported_parameter");
    }

    /** 400 for a prompt that does not fit the context, with OpenAI's code. */
    static ApiError contextExceeded(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, "context_length_exceeded");
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", message, null, "invalid_api_key");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", message, null, "not_found");
    }

    /** 500: a failure of the server, not of the request. */
    static ApiError internal(String message) {
        return new ApiError(500, "server_error", message, null, null);
    }

    /** 503: the server is shutting down. */
    static ApiError unavailable(String message) {
        return new ApiError(503, "server_error", message, null, null);
    }

    int status() {
        return status;
    }

    /** The error object: {@code {"error": {...}}}. */
    ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
