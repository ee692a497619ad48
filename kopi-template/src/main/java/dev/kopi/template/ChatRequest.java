package dev.kopi.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chat template is rendered with, as Hugging Face's {@code apply_chat_template} passes it: the
 * conversation, optional tool schemas, whether to open the assistant's turn, the special tokens and any extra
 * keyword arguments (vLLM's {@code chat_template_kwargs}, e.g. {@code enable_thinking}).
 *
 * @param messages            the conversation: maps with "role", "content" and optionally "tool_calls",
 *                            "reasoning_content", ... as JSON-like values (String, Number, Boolean, List, Map, null)
 * @param tools               tool (function) schemas, or null for none; templates then see {@code tools = None}
 * @param addGenerationPrompt whether to end with the header that starts the assistant's reply
 * @param specialTokens       e.g. bos_token and eos_token, as tokenizer_config.json gives them
 * @param kwargs              extra template variables, e.g. {@code enable_thinking}
 */
public record ChatRequest(List<? extends Map<String, ?>> messages, List<? extends Map<String, ?>> tools,
                          boolean addGenerationPrompt, Map<String, String> specialTokens, Map<String, ?> kwargs) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? null : List.copyOf(tools);
        specialTokens = specialTokens == null ? Map.of() : Map.copyOf(specialTokens);
        kwargs = kwargs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    /** A request for {@code messages} that opens the assistant's turn, without tools or extra variables. */
    public static ChatRequest of(List<? extends Map<String, ?>> messages) {
        return new ChatRequest(messages, null, true, Map.of(), Map.of());
    }

    public ChatRequest withTools(List<? extends Map<String, ?>> newTools) {
        return new ChatRequest(messages, newTools, addGenerationPrompt, specialTokens, kwargs);
    }

    public ChatRequest withGenerationPrompt(boolean add) {
        return new ChatRequest(messages, tools, add, specialTokens, kwargs);
    }

    public ChatRequest withSpecialTokens(Map<String, String> tokens) {
        return new ChatRequest(messages, tools, addGenerationPrompt, tokens, kwargs);
    }

    /** Adds one template variable, e.g. {@code withKwarg("enable_thinking", false)}. */
    public ChatRequest withKwarg(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(kwargs);
        more.put(name, value);
        return new ChatRequest(messages, tools, addGenerationPrompt, specialTokens, more);
    }

    /** The template variables, named and ordered as {@code apply_chat_template} passes them. */
    public Map<String, Object> variables() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.putAll(specialTokens);
        variables.put("messages", messages);
        variables.put("tools", tools);
        variables.put("documents", null);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.putAll(kwargs);
        return variables;
    }
}
