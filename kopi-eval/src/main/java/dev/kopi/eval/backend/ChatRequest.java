package dev.kopi.eval.backend;

import java.util.List;
import java.util.Map;

/**
 * One generation request.
 *
 * @param stop               stop strings (SEA-HELM stops base models at a blank line); empty for none
 * @param seed               sampling seed of the run, or null
 * @param chatTemplateKwargs passed to the chat template, e.g. {@code enable_thinking}; empty for none
 * @param extra              further generation settings sent as they are (e.g. a judge's {@code reasoning_effort})
 */
public record ChatRequest(
        List<ChatMessage> messages, int maxTokens, List<String> stop, Long seed, Map<String, Object> chatTemplateKwargs,
        Map<String, Object> extra) {
    public ChatRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        chatTemplateKwargs = Map.copyOf(chatTemplateKwargs);
        extra = Map.copyOf(extra);
    }

    public ChatRequest(List<ChatMessage> messages, int maxTokens, List<String> stop, Long seed, Map<String, Object> chatTemplateKwargs) {
        this(messages, maxTokens, stop, seed, chatTemplateKwargs, Map.of());
    }
}
