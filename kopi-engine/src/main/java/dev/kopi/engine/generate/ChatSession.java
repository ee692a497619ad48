package dev.kopi.engine.generate;

import dev.kopi.engine.Model;
import dev.kopi.template.ChatRequest;
import dev.kopi.template.ChatTemplate;
import dev.kopi.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A multi-turn chat: the conversation is rendered with the model's chat template every turn and the
 * {@link Session} reuses the KV cache of the part that did not change, so each turn costs only its new tokens.
 * Thinking (Qwen3's {@code enable_thinking}) can be switched per turn; the answer and the reasoning come back
 * separately, and only the answer goes into the history, as the Qwen3 template expects.
 */
public final class ChatSession {
    private final Generator generator;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private boolean thinking = true;

    public ChatSession(Model model, Tokenizer tokenizer, ChatTemplate template, int contextLength) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.generator = new Generator(new Session(model, contextLength), tokenizer, Generator.endTokensOf(model, tokenizer));
    }

    /** The chat template a tokenizer carries (from GGUF metadata or tokenizer_config.json). */
    public static ChatTemplate templateOf(Tokenizer tokenizer) {
        String source = tokenizer.chatTemplate();
        if (source == null) {
            throw new IllegalArgumentException("the model has no chat template (tokenizer.chat_template)");
        }
        return ChatTemplate.parse(source);
    }

    /** Whether the model is asked to think before answering ({@code enable_thinking}). */
    public boolean thinking() {
        return thinking;
    }

    public void setThinking(boolean on) {
        thinking = on;
    }

    /** Adds a system message at the start of the conversation. */
    public void system(String text) {
        messages.addFirst(message("system", text));
    }

    /** Forgets the conversation (the KV cache is reused as far as a new conversation matches it). */
    public void reset() {
        messages.clear();
    }

    /** The generation session underneath (its length is the context used so far). */
    public Session session() {
        return generator.session();
    }

    /**
     * Sends a user message and generates the assistant's reply, streaming it to {@code listener}.
     *
     * @throws dev.kopi.engine.ContextOverflowException if the conversation no longer fits the context (the
     *     message is then not kept)
     */
    public GenerationResult send(String userText, GenerationOptions options, TextListener listener,
                                 BooleanSupplier cancelled) {
        messages.add(message("user", userText));
        String prompt;
        int[] tokens;
        try {
            prompt = render();
            tokens = tokenizer.encode(prompt, false);
            GenerationResult result = generator.generate(tokens, options.withStartInReasoning(
                    prompt.stripTrailing().endsWith(ReasoningSplitter.OPEN)), listener, cancelled);
            messages.add(message("assistant", result.content()));
            return result;
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
    }

    /** The conversation so far, rendered with the assistant's turn opened. */
    public String render() {
        Map<String, String> special = new HashMap<>();
        putIfPresent(special, "bos_token", tokenizer.config().bosToken());
        putIfPresent(special, "eos_token", tokenizer.config().eosToken());
        return template.render(ChatRequest.of(messages).withSpecialTokens(special)
                .withKwarg("enable_thinking", thinking));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new HashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
