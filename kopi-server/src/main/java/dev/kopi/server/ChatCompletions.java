package dev.kopi.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kopi.engine.generate.GenerationHandle;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.ReasoningSplitter;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: the conversation is rendered with the model's chat template (tools and
 * {@code chat_template_kwargs} such as {@code enable_thinking} included), generated in the shared batch, and
 * answered as OpenAI does, whole or as {@code chat.completion.chunk} events. A Qwen3 {@code <think>} block comes
 * back as {@code reasoning_content} (vLLM's and llama-server's name), and Hermes-format tool calls as
 * {@code tool_calls} with finish reason {@code tool_calls}.
 */
final class ChatCompletions {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final ModelHost host;
    private final Responses responses;
    private final SamplerSettings defaults;

    ChatCompletions(ModelHost host, Responses responses, SamplerSettings defaults) {
        this.host = host;
        this.responses = responses;
        this.defaults = defaults;
    }

    /** A parsed request: the prompt to generate after, and how to read the answer. */
    private record Call(int[] prompt, GenerationOptions options, GenerationParameters parameters,
                        boolean parseToolCalls, String forcedPrefix) {
    }

    void handle(RequestFields request, ServerResponse response) throws InterruptedException {
        Call call = parse(request);
        if (call.parameters().stream()) {
            stream(call, response);
            return;
        }
        GenerationHandle handle = host.submit("messages", call.prompt(), call.parameters(), call.options(),
                TextListener.none(), null);
        GenerationResult result = Responses.await(handle);
        ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant");
        String finishReason = Responses.finishReason(result.stopReason());
        if (call.parseToolCalls()) {
            ToolCalls.Parsed parsed = ToolCalls.parse(call.forcedPrefix() + result.content());
            message.put("content", parsed.content());
            if (!parsed.calls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                parsed.calls().forEach(c -> calls.add(toolCall(c)));
                finishReason = "tool_calls";
            }
        } else {
            message.put("content", result.content());
        }
        if (!result.reasoning().isEmpty()) {
            message.put("reasoning_content", result.reasoning());
        }
        ObjectNode body = responses.envelope("chatcmpl", "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        body.set("usage", Responses.usage(result.promptTokens(), result.tokens().length));
        responses.json(response, 200, body);
    }

    private void stream(Call call, ServerResponse response) throws InterruptedException {
        PieceQueue pieces = new PieceQueue();
        GenerationHandle handle = host.submit("messages", call.prompt(), call.parameters(), call.options(),
                pieces.listener(0, null), null);
        pieces.finishWith(0, handle, null);
        try (EventStream events = new EventStream(response)) {
            new ChunkStream(call, events).run(handle, pieces);
        } finally {
            handle.cancel(); // a no-op once finished; else the client has gone or the server is stopping
        }
    }

    /** The {@code chat.completion.chunk} events of one streamed answer. */
    private final class ChunkStream {
        private final Call call;
        private final EventStream events;
        private final String id = responses.newId("chatcmpl");
        private final long created = Responses.now();

        ChunkStream(Call call, EventStream events) {
            this.call = call;
            this.events = events;
        }

        void run(GenerationHandle handle, PieceQueue pieces) throws InterruptedException {
            ToolCalls.Filter toolCalls = call.parseToolCalls() ? new ToolCalls.Filter() : null;
            send(delta().put("role", "assistant").put("content", ""), null);
            if (toolCalls != null) {
                toolCalls.feed(call.forcedPrefix());
            }
            for (PieceQueue.Piece piece = pieces.take(); piece.kind() != PieceQueue.Kind.FINISHED; piece = pieces.take()) {
                boolean reasoning = piece.kind() == PieceQueue.Kind.REASONING;
                String text = toolCalls != null && !reasoning ? toolCalls.feed(piece.text()) : piece.text();
                if (!text.isEmpty() && !send(delta().put(reasoning ? "reasoning_content" : "content", text), null)) {
                    return; // the client has gone
                }
            }
            GenerationResult result;
            try {
                result = Responses.await(handle);
            } catch (ApiError e) {
                events.send(e.toJson());
                events.done();
                return;
            }
            String finishReason = Responses.finishReason(result.stopReason());
            if (toolCalls != null) {
                ToolCalls.Parsed parsed = toolCalls.finish();
                if (!parsed.content().isEmpty()) {
                    send(delta().put("content", parsed.content()), null);
                }
                for (int i = 0; i < parsed.calls().size(); i++) {
                    ObjectNode delta = delta();
                    delta.putArray("tool_calls").add(toolCall(parsed.calls().get(i)).put("index", i));
                    send(delta, null);
                }
                if (!parsed.calls().isEmpty()) {
                    finishReason = "tool_calls";
                }
            }
            send(delta(), finishReason);
            if (call.parameters().includeUsage()) {
                ObjectNode usage = responses.envelope(id, created, "chat.completion.chunk");
                usage.putArray("choices");
                usage.set("usage", Responses.usage(result.promptTokens(), result.tokens().length));
                events.send(usage);
            }
            events.done();
        }

        private ObjectNode delta() {
            return Json.MAPPER.createObjectNode();
        }

        private boolean send(ObjectNode delta, String finishReason) {
            ObjectNode chunk = responses.envelope(id, created, "chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            if (call.parameters().includeUsage()) {
                chunk.putNull("usage");
            }
            return events.send(chunk);
        }
    }

    private static ObjectNode toolCall(ToolCalls.Call call) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("id", call.id()).put("type", "function");
        json.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        return json;
    }

    private Call parse(RequestFields request) {
        request.string("model");
        JsonNode messagesNode = request.array("messages");
        if (messagesNode == null || messagesNode.isEmpty()) {
            throw ApiError.invalid("'messages' must be a non-empty array of messages", "messages");
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
        }
        List<Map<String, Object>> tools = tools(request);
        String forcedPrefix = forcedPrefix(request, tools);
        boolean parseToolCalls = tools != null && !"none".equals(toolChoiceMode(request));
        if (request.bool("logprobs", false)) {
            throw ApiError.unsupported("'logprobs' is not supported for chat completions; /v1/completions reports "
                    + "log-probabilities", "logprobs");
        }
        RequestFields formats = request.object("response_format");
        if (formats != null && !"text".equals(formats.string("type"))) {
            throw ApiError.unsupported("'response_format' other than {\"type\": \"text\"} is not supported "
                    + "(kopi has no constrained decoding)", "response_format");
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        RequestFields templateKwargs = request.object("chat_template_kwargs");
        if (templateKwargs != null) {
            templateKwargs.json().properties().forEach(e -> kwargs.put(e.getKey(), plain(e.getValue())));
        }
        GenerationParameters parameters = GenerationParameters.read(request, defaults, -1, 1);
        String rendered = host.render(messages, tools, kwargs) + forcedPrefix;
        int[] prompt = host.tokenizer().encode(rendered, false);
        GenerationOptions options = parameters.options()
                .withStartInReasoning(rendered.stripTrailing().endsWith(ReasoningSplitter.OPEN));
        return new Call(prompt, options, parameters, parseToolCalls, forcedPrefix);
    }

    /** One message as the chat template sees it: role, content as text, and tool calls with parsed arguments. */
    private static Map<String, Object> message(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ApiError.invalid("'" + path + "' must be an object, got " + RequestFields.describe(node), path);
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.textValue())) {
            throw ApiError.invalid("'" + path + ".role' must be one of system, developer, user, assistant or tool, got "
                    + (role == null ? "nothing" : RequestFields.describe(role)), path + ".role");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> message = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        message.put("role", role.textValue().equals("developer") ? "system" : role.textValue());
        message.put("content", text(node.get("content"), path + ".content"));
        JsonNode toolCalls = node.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw ApiError.invalid("'" + path + ".tool_calls' must be an array", path + ".tool_calls");
            }
            List<Object> calls = new ArrayList<>();
            for (int i = 0; i < toolCalls.size(); i++) {
                calls.add(historicToolCall(toolCalls.get(i), path + ".tool_calls[" + i + "]"));
            }
            message.put("tool_calls", calls);
        }
        return message;
    }

    /**
     * A tool call of the history with its {@code arguments} JSON text parsed into an object, as vLLM and
     * llama-server hand them to templates (which write them back with {@code tojson}).
     */
    private static Map<String, Object> historicToolCall(JsonNode node, String path) {
        JsonNode function = node.path("function");
        if (!node.isObject() || !function.path("name").isTextual()) {
            throw ApiError.invalid("'" + path + "' must be an object with function.name", path);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> call = Json.MAPPER.convertValue(node, LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> functionMap = (Map<String, Object>) call.get("function");
        JsonNode arguments = function.get("arguments");
        if (arguments != null && arguments.isTextual()) {
            try {
                JsonNode parsed = Json.MAPPER.readTree(arguments.textValue());
                if (parsed != null && parsed.isObject()) {
                    functionMap.put("arguments", plain(parsed));
                }
            } catch (JacksonException e) {
                // not JSON: the template writes the text as it is
            }
        }
        return call;
    }

    /** Message content as text: a string, or the text parts of an array joined by newlines; null reads as "". */
    private static String text(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw ApiError.invalid("'" + path + "' must be a string or an array of content parts, got "
                    + RequestFields.describe(content), path);
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText("");
            if (!type.equals("text") || !part.path("text").isTextual()) {
                throw ApiError.unsupported("'" + path + "[" + i + "]' must be a text part ({\"type\": \"text\", "
                        + "\"text\": ...}); this model reads text only", path);
            }
            parts.add(part.get("text").textValue());
        }
        return String.join("\n", parts);
    }

    private static List<Map<String, Object>> tools(RequestFields request) {
        JsonNode toolsNode = request.array("tools");
        if (toolsNode == null || toolsNode.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> tools = new ArrayList<>();
        for (int i = 0; i < toolsNode.size(); i++) {
            JsonNode tool = toolsNode.get(i);
            if (!tool.isObject() || !"function".equals(tool.path("type").asText())
                    || !tool.path("function").path("name").isTextual()) {
                throw ApiError.invalid("'tools[" + i + "]' must be {\"type\": \"function\", \"function\": {\"name\": "
                        + "..., \"parameters\": ...}}", "tools");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Json.MAPPER.convertValue(tool, LinkedHashMap.class);
            tools.add(map);
        }
        return tools;
    }

    /** "none", "auto", "required", or the name of the function a request forces; "auto" when not given. */
    private static String toolChoiceMode(RequestFields request) {
        JsonNode choice = request.node("tool_choice");
        if (choice == null) {
            return "auto";
        }
        if (choice.isTextual() && Set.of("none", "auto", "required").contains(choice.textValue())) {
            return choice.textValue();
        }
        if (choice.isObject() && "function".equals(choice.path("type").asText())
                && choice.path("function").path("name").isTextual()) {
            return "function:" + choice.path("function").path("name").textValue();
        }
        throw ApiError.invalid("'tool_choice' must be \"none\", \"auto\", \"required\" or {\"type\": \"function\", "
                + "\"function\": {\"name\": ...}}, got " + RequestFields.describe(choice), "tool_choice");
    }

    /**
     * The start of the answer written into the prompt when a tool call is required: kopi has no constrained
     * decoding, so it opens the call ({@code <tool_call>}, and the function's name when one is named) and the
     * model completes it.
     */
    private static String forcedPrefix(RequestFields request, List<Map<String, Object>> tools) {
        String mode = toolChoiceMode(request);
        if (mode.equals("none") || mode.equals("auto")) {
            return "";
        }
        if (tools == null) {
            throw ApiError.invalid("'tool_choice' " + mode + " needs 'tools'", "tool_choice");
        }
        if (mode.equals("required")) {
            return ToolCalls.OPEN + "\n";
        }
        String name = mode.substring("function:".length());
        boolean known = tools.stream().anyMatch(t -> t.get("function") instanceof Map<?, ?> f && name.equals(f.get("name")));
        if (!known) {
            throw ApiError.invalid("'tool_choice' names function '" + name + "', which is not in 'tools'", "tool_choice");
        }
        return ToolCalls.OPEN + "\n{\"name\": " + TextNode.valueOf(name) + ", \"arguments\": ";
    }

    /** A JSON value as the plain Java values templates take (String, Number, Boolean, List, Map, null). */
    private static Object plain(JsonNode node) {
        return Json.MAPPER.convertValue(node, Object.class);
    }
}
