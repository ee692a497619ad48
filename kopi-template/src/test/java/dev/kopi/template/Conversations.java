package dev.kopi.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic chat requests: plain multi-turn, tool use with calls and results, and reasoning traces. */
final class Conversations {
    private Conversations() {}

    static final List<Map<String, Object>> TOOLS = List.of(
            ordered("type", "function", "function", ordered(
                    "name", "get_weather",
                    "description", "Get the current weather in a city.",
                    "parameters", ordered(
                            "type", "object",
                            "properties", ordered(
                                    "city", ordered("type", "string", "description", "City name, e.g. Singapore"),
                                    "unit", ordered("type", "string", "enum", List.of("celsius", "fahrenheit"))),
                            "required", List.of("city")))),
            ordered("type", "function", "function", ordered(
                    "name", "search",
                    "description", "Search the web.",
                    "parameters", ordered(
                            "type", "object",
                            "properties", ordered("query", ordered("type", "string"),
                                    "max_results", ordered("type", "integer", "default", 5)),
                            "required", List.of("query")))));

    static Map<String, Object> message(String role, String content) {
        return ordered("role", role, "content", content);
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> toolCall(String id, String name, Map<String, Object> arguments) {
        return ordered("id", id, "type", "function", "function", ordered("name", name, "arguments", arguments));
    }

    /** System, user, assistant, user: the everyday case. */
    static List<Map<String, Object>> multiTurn() {
        return List.of(
                message("system", "You are a helpful assistant for Southeast Asia."),
                message("user", "Apa khabar? Can you greet me in Thai?"),
                message("assistant", "สวัสดีครับ! How can I help you today?"),
                message("user", "Give me two tips for visiting Jakarta."));
    }

    /** No system message; some templates insert a default one. */
    static List<Map<String, Object>> withoutSystem() {
        return List.of(
                message("user", "Hello!"),
                message("assistant", "Hi there, how can I help?"),
                message("user", "What is 2 + 2?"));
    }

    /** A tool call with its result and the assistant's answer, then a follow-up question. */
    static List<Map<String, Object>> toolUse() {
        Map<String, Object> call = ordered("role", "assistant", "content", "",
                "tool_calls", List.of(toolCall("call_1", "get_weather", ordered("city", "Singapore", "unit", "celsius"))));
        return List.of(
                message("system", "You can call tools."),
                message("user", "What's the weather in Singapore?"),
                call,
                ordered("role", "tool", "tool_call_id", "call_1", "name", "get_weather",
                        "content", "{\"temperature\": 31, \"condition\": \"humid\"}"),
                message("assistant", "It is 31°C and humid in Singapore."),
                message("user", "And should I bring an umbrella?"));
    }

    /** Assistant turns that carry reasoning_content, as reasoning models return it. */
    static List<Map<String, Object>> reasoning() {
        return List.of(
                message("user", "Is 91 prime?"),
                ordered("role", "assistant", "content", "No, 91 = 7 × 13.",
                        "reasoning_content", "91 is odd. 91 / 7 = 13, so it has the factors 7 and 13."),
                message("user", "And 97?"));
    }

    /** One user message: the shortest prompt. */
    static List<Map<String, Object>> single() {
        return List.of(message("user", "Terjemahkan 'good morning' ke bahasa Melayu."));
    }

    /** Named requests (without special tokens, which callers add) covering the cases above. */
    static Map<String, ChatRequest> requests() {
        Map<String, ChatRequest> requests = new LinkedHashMap<>();
        for (boolean prompt : new boolean[] {true, false}) {
            String suffix = prompt ? "+prompt" : "";
            requests.put("single" + suffix, ChatRequest.of(single()).withGenerationPrompt(prompt));
            requests.put("multi-turn" + suffix, ChatRequest.of(multiTurn()).withGenerationPrompt(prompt));
            requests.put("no-system" + suffix, ChatRequest.of(withoutSystem()).withGenerationPrompt(prompt));
            requests.put("tools" + suffix, ChatRequest.of(toolUse()).withTools(TOOLS).withGenerationPrompt(prompt));
            requests.put("reasoning" + suffix, ChatRequest.of(reasoning()).withGenerationPrompt(prompt));
        }
        requests.put("tools-defined-no-calls+prompt", ChatRequest.of(multiTurn()).withTools(TOOLS));
        requests.put("no-think+prompt", ChatRequest.of(multiTurn()).withKwarg("enable_thinking", false));
        return requests;
    }
}
