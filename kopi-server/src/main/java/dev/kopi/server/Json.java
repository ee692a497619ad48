package dev.kopi.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/** The server's JSON: one configured mapper, request bodies read strictly, answers written compactly. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * The request body as a JSON object.
     *
     * @throws ApiError 400 naming what is wrong: not JSON, not UTF-8, not an object, or holding text with an
     *     unpaired surrogate (which no UTF-8 text can hold)
     */
    static ObjectNode readObject(byte[] body) {
        if (body.length == 0) {
            throw ApiError.invalid("the request body is empty; send a JSON object");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiError.invalid("the request body is not valid JSON: " + describe(e));
        } catch (java.io.IOException e) {
            throw ApiError.invalid("the request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.invalid("the request body must be a JSON object, got "
                    + (root == null ? "nothing" : RequestFields.typeName(root)));
        }
        checkText(root, "");
        return (ObjectNode) root;
    }

    /** A compact UTF-8 encoding of {@code value}. */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Jackson's message without the parser's source excerpt, with the line and column. */
    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage().replaceAll("\\s+", " ").strip();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }

    /** Rejects text with an unpaired surrogate (a JSON escape such as "\ud800" alone), naming where it is. */
    private static void checkText(JsonNode node, String path) {
        if (node.isTextual()) {
            requireWellFormed(node.textValue(), path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkText(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                requireWellFormed(field.getKey(), child);
                checkText(field.getValue(), child);
            }
        }
    }

    private static void requireWellFormed(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.invalid("'" + path + "' holds an unpaired surrogate (\\u"
                        + Integer.toHexString(c) + "), which is not valid Unicode text", path);
            }
        }
    }
}
