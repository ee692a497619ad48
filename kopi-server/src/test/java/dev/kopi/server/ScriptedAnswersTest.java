package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.template.ChatRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kopi.server.TestServers.TOKENIZER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a trained Qwen3 writes and random weights never do, forced by {@link ScriptedModel}: a {@code <think>}
 * block (answered as {@code reasoning_content}) and Hermes tool calls (answered as {@code tool_calls}), whole and
 * streamed, and a conversation that carries the call and its result back.
 */
class ScriptedAnswersTest {
    static final String OPEN_ASSISTANT = "<|im_start|>assistant\n";
    static final String WEATHER_CALL = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Jakarta\"}}\n</tool_call>";

    @Test
    void aThinkBlockComesBackAsReasoningContent() {
        script(OPEN_ASSISTANT, "<think>\nThe user greets me in Malay.\n</think>\n\nHalo! Apa khabar?");
        ObjectNode request = request("Halo");
        JsonNode message = chat(request).get("choices").get(0).get("message");
        assertThat(message.get("reasoning_content").asText()).isEqualTo("The user greets me in Malay.");
        assertThat(message.get("content").asText()).isEqualTo("Halo! Apa khabar?");

        request.put("stream", true);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        for (JsonNode delta : deltas(request)) {
            reasoning.append(delta.path("reasoning_content").asText(""));
            content.append(delta.path("content").asText(""));
        }
        assertThat(reasoning.toString().strip()).isEqualTo("The user greets me in Malay.");
        assertThat(content.toString()).isEqualTo("Halo! Apa khabar?");
    }

    @Test
    void aToolCallComesBackAsToolCallsWholeAndStreamedAndItsResultGoesBackIn() throws Exception {
        script(OPEN_ASSISTANT, "Let me check.\n\n" + WEATHER_CALL);
        ObjectNode request = withTools(request("Bagaimana cuaca di Jakarta?"));
        JsonNode choice = chat(request).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Let me check.");
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("id").asText()).startsWith("call_");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(Http.JSON.readTree(call.get("function").get("arguments").asText()))
                .isEqualTo(Http.JSON.createObjectNode().put("city", "Jakarta"));

        request.put("stream", true);
        StringBuilder content = new StringBuilder();
        JsonNode streamedCall = null;
        for (JsonNode delta : deltas(request)) {
            content.append(delta.path("content").asText(""));
            if (delta.has("tool_calls")) {
                streamedCall = delta.get("tool_calls").get(0);
            }
        }
        assertThat(content.toString()).isEqualTo("Let me check.");
        assertThat(streamedCall).isNotNull();
        assertThat(streamedCall.get("index").asInt()).isZero();
        assertThat(streamedCall.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(streamedCall.get("function").get("arguments").asText())
                .isEqualTo(call.get("function").get("arguments").asText());

        // the call and its result go back in, and the template renders them as vLLM hands them over
        script(OPEN_ASSISTANT, "Cuaca di Jakarta cerah, 31°C.");
        request.remove("stream");
        ArrayNode messages = (ArrayNode) request.get("messages");
        ObjectNode assistant = messages.addObject().put("role", "assistant").putNull("content");
        assistant.putArray("tool_calls").add(call);
        messages.addObject().put("role", "tool").put("tool_call_id", call.get("id").asText())
                .put("content", "{\"temperature\": 31, \"sky\": \"clear\"}");
        JsonNode answer = chat(request);
        assertThat(answer.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Cuaca di Jakarta cerah, 31°C.");
        assertThat(answer.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        String rendered = TestServers.TEMPLATE.render(ChatRequest.of(List.of(
                        Map.of("role", "user", "content", "Bagaimana cuaca di Jakarta?"),
                        Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", call.get("id").asText(),
                                "type", "function", "function", Map.of("name", "get_weather", "arguments", Map.of("city", "Jakarta"))))),
                        Map.of("role", "tool", "tool_call_id", call.get("id").asText(), "content", "{\"temperature\": 31, \"sky\": \"clear\"}")))
                .withTools(List.of(Http.JSON.convertValue(request.get("tools").get(0),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }))));
        assertThat(rendered).contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Jakarta\"}}\n</tool_call>")
                .contains("<tool_response>\n{\"temperature\": 31, \"sky\": \"clear\"}\n</tool_response>");
        assertThat(answer.get("usage").get("prompt_tokens").asInt()).isEqualTo(TOKENIZER.encode(rendered, false).length);
    }

    @Test
    void aRequiredToolCallIsOpenedForTheModel() {
        script(OPEN_ASSISTANT + "<tool_call>\n", WEATHER_CALL.substring("<tool_call>\n".length()));
        ObjectNode request = withTools(request("Cuaca?")).put("tool_choice", "required");
        JsonNode choice = chat(request).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").isNull()).isTrue();
        assertThat(choice.get("message").get("tool_calls").get(0).get("function").get("name").asText()).isEqualTo("get_weather");

        request.putObject("tool_choice").put("type", "function").putObject("function").put("name", "get_weather");
        script(OPEN_ASSISTANT + "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": ", "{\"city\": \"Jakarta\"}}\n</tool_call>");
        choice = chat(request).get("choices").get(0);
        assertThat(choice.get("message").get("tool_calls").get(0).get("function").get("arguments").asText())
                .isEqualTo("{\"city\":\"Jakarta\"}");
    }

    @Test
    void withoutToolsATagIsJustText() {
        script(OPEN_ASSISTANT, WEATHER_CALL);
        JsonNode choice = chat(request("Cuaca?")).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("message").get("content").asText()).isEqualTo(WEATHER_CALL);
        assertThat(choice.get("message").has("tool_calls")).isFalse();
    }

    static void script(String trigger, String answer) {
        TestServers.scripted().respond(TOKENIZER.encode(trigger, false), TOKENIZER.encode(answer, false),
                TOKENIZER.eotId());
    }

    static ObjectNode request(String user) {
        ObjectNode request = Http.JSON.createObjectNode().put("model", "scripted-qwen3").put("max_tokens", 60);
        request.putArray("messages").addObject().put("role", "user").put("content", user);
        return request;
    }

    static ObjectNode withTools(ObjectNode request) {
        ObjectNode function = request.putArray("tools").addObject().put("type", "function").putObject("function");
        function.put("name", "get_weather").put("description", "The weather in a city");
        ObjectNode parameters = function.putObject("parameters").put("type", "object");
        parameters.putObject("properties").putObject("city").put("type", "string");
        parameters.putArray("required").add("city");
        return request;
    }

    static JsonNode chat(ObjectNode request) {
        Http.Answer answer = Http.post(TestServers.scriptedServer(), "/v1/chat/completions", request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** The deltas of a streamed answer. */
    static List<JsonNode> deltas(ObjectNode request) {
        Http.Answer answer = Http.post(TestServers.scriptedServer(), "/v1/chat/completions", request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<JsonNode> events = answer.events();
        assertThat(events.getLast().asText()).isEqualTo("[DONE]");
        return events.subList(0, events.size() - 1).stream().map(e -> e.get("choices").get(0).get("delta")).toList();
    }
}
