package dev.kopi.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tool calls in the Hermes format Qwen3 (and Qwen-SEA-LION) writes, as vLLM's {@code hermes} parser reads them:
 * {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}, one block per call. The answer's content is
 * the text before the first block (text after the calls is dropped, as vLLM does). A block cut off by the token
 * limit (no closing tag) still counts if its JSON is complete. If any block is not a JSON object with a string
 * {@code name}, the whole answer stays plain content.
 */
final class ToolCalls {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    /** One call, OpenAI-shaped: {@code arguments} is JSON text. */
    record Call(String id, String name, String arguments) {
    }

    /**
     * An answer split into its text and its tool calls.
     *
     * @param content the answer when it holds no call; else the text before the first call without trailing
     *                whitespace, or null when there is none
     * @param calls   empty when the answer holds no (valid) tool call
     */
    record Parsed(String content, List<Call> calls) {
    }

    private ToolCalls() {
    }

    static Parsed parse(String text) {
        int first = text.indexOf(OPEN);
        if (first < 0) {
            return new Parsed(text, List.of());
        }
        List<Call> calls = new ArrayList<>();
        for (int open = first; open >= 0; open = text.indexOf(OPEN, open + OPEN.length())) {
            int close = text.indexOf(CLOSE, open);
            Call call = call(text.substring(open + OPEN.length(), close < 0 ? text.length() : close));
            if (call == null) {
                return new Parsed(text, List.of());
            }
            calls.add(call);
        }
        String before = text.substring(0, first).stripTrailing();
        return new Parsed(before.isEmpty() ? null : before, calls);
    }

    private static Call call(String block) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(block.strip());
        } catch (JacksonException e) {
            return null;
        }
        if (json == null || !json.isObject() || !json.path("name").isTextual()) {
            return null;
        }
        JsonNode arguments = json.get("arguments");
        String argumentsText = arguments == null || arguments.isNull() ? "{}"
                : arguments.isTextual() ? arguments.textValue() : arguments.toString();
        return new Call("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                json.get("name").textValue(), argumentsText);
    }

    /**
     * Streams an answer's text while keeping its tool calls back, so that the streamed text adds up to what
     * {@link #parse} gives: text passes through as it comes, less a tail that could still turn out to be
     * whitespace before a call or the start of the tag; from the first tag on, everything waits for
     * {@link #finish}.
     */
    static final class Filter {
        private final StringBuilder pending = new StringBuilder();
        private boolean inCalls;

        /** Adds a piece of the answer; returns the text that can be shown now (possibly empty). */
        String feed(String piece) {
            pending.append(piece);
            if (inCalls) {
                return "";
            }
            int open = pending.indexOf(OPEN);
            inCalls = open >= 0;
            int ready = inCalls ? open : pending.length() - partialTagAtEnd(pending);
            while (ready > 0 && Character.isWhitespace(pending.charAt(ready - 1))) {
                ready--;
            }
            String text = pending.substring(0, ready);
            pending.delete(0, ready);
            return text;
        }

        /** The calls in what was held back (empty if none), with the held text still to show as content. */
        Parsed finish() {
            String held = pending.toString();
            pending.setLength(0);
            Parsed parsed = parse(held);
            return parsed.calls().isEmpty() ? parsed : new Parsed("", parsed.calls());
        }

        /** Length of the longest end of {@code text} that begins {@link #OPEN}. */
        private static int partialTagAtEnd(CharSequence text) {
            for (int n = Math.min(OPEN.length() - 1, text.length()); n > 0; n--) {
                if (OPEN.startsWith(text.subSequence(text.length() - n, text.length()).toString())) {
                    return n;
                }
            }
            return 0;
        }
    }
}
