package dev.kopi.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad templates and bad input fail with clear, positioned messages, and runaway templates stop. */
class ErrorsTest {

    private static TemplateSyntaxException syntaxError(String source) {
        try {
            ChatTemplate.parse(source);
        } catch (TemplateSyntaxException e) {
            return e;
        }
        throw new AssertionError("expected a syntax error for " + source);
    }

    @Test
    void syntaxErrorsNameLineColumnAndWhatWasExpected() {
        TemplateSyntaxException unclosed = syntaxError("line one\n{% for m in messages %}\n{{ m }}\n");
        assertThat(unclosed.getMessage()).contains("'endfor'").contains("'for'");

        TemplateSyntaxException badExpression = syntaxError("ok\n  {{ messages[0] + }}");
        assertThat(badExpression.line()).isEqualTo(2);
        assertThat(badExpression.column()).isEqualTo(20);
        assertThat(badExpression.detail()).contains("expected an expression");

        TemplateSyntaxException missingParen = syntaxError("{% if (a %}x{% endif %}");
        assertThat(missingParen.detail()).contains("expected ')'");

        TemplateSyntaxException unknownTag = syntaxError("{% if x %}{% frobnicate %}{% endif %}");
        assertThat(unknownTag.detail()).contains("unknown tag 'frobnicate'").contains("'if'");
        assertThat(unknownTag.column()).isEqualTo(14);

        assertThat(syntaxError("{{ 'unterminated }}").detail()).contains("unterminated string");
        assertThat(syntaxError("{# never closed").detail()).contains("unclosed comment");
    }

    @Test
    void unknownFiltersFailAtParseTimeUnlessConditionalLikeJinja2() {
        TemplateSyntaxException e = syntaxError("a\n{{ x | from_json }}");
        assertThat(e.getMessage()).contains("no filter named 'from_json'").contains("line 2");
        assertThat(syntaxError("{{ 1 is prime }}").detail()).contains("no test named 'prime'");
        // Inside an if body Jinja2 defers the error until the filter actually runs.
        ChatTemplate conditional = ChatTemplate.parse("{% if x %}{{ x | from_json }}{% endif %}ok");
        assertThat(conditional.render(Map.of())).isEqualTo("ok");
        assertThatThrownBy(() -> conditional.render(Map.of("x", "{}")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("No filter named 'from_json'");
    }

    @Test
    void runtimeErrorsSayWhatAndWhere() {
        assertThatThrownBy(() -> ChatTemplate.parse("x\n{{ messages[0].content.nope.deeper }}")
                .render(Map.of("messages", List.of(Map.of("content", "hi")))))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template error at line 2: UndefinedError: 'str object' has no attribute 'nope'");
        assertThatThrownBy(() -> ChatTemplate.parse("{{ raise_exception('Only user and assistant roles!') }}")
                .render(Map.of()))
                .isInstanceOfSatisfying(TemplateRaisedException.class,
                        r -> assertThat(r.templateMessage()).isEqualTo("Only user and assistant roles!"));
        assertThatThrownBy(() -> ChatTemplate.parse("{{ messages.append(1) }}").render(Map.of("messages", List.of())))
                .hasMessageContaining("SecurityError: access to attribute 'append' of 'list' object is unsafe.");
    }

    @Test
    void runawayTemplatesStopInsteadOfHanging() {
        String loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}";
        assertThatThrownBy(() -> ChatTemplate.parse(loops).render(Map.of()))
                .hasMessageContaining("evaluation steps");
        String recursion = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
        assertThatThrownBy(() -> ChatTemplate.parse(recursion).render(Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("recursi");
        assertThatThrownBy(() -> ChatTemplate.parse("{{ range(10000000) | length }}").render(Map.of()))
                .hasMessageContaining("Range too big");
        assertThatThrownBy(() -> ChatTemplate.parse("{{ 'x' * 100000000000 }}").render(Map.of()))
                .hasMessageContaining("MemoryError");
    }

    @Test
    void tokenizerConfigWithNamedTemplatesPicksToolUseWhenToolsAreGiven(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>",
                 "chat_template": [{"name": "default", "template": "D{{ bos_token }}"},
                                   {"name": "tool_use", "template": "T{{ tools | length }}{{ eos_token }}"}]}
                """);
        TokenizerConfig config = TokenizerConfig.read(dir);
        assertThat(config.specialTokens()).containsEntry("bos_token", "<s>").containsEntry("eos_token", "</s>");
        ChatRequest request = config.request(List.of(Map.of("role", "user", "content", "hi")));
        assertThat(config.template(false).render(request)).isEqualTo("D<s>");
        assertThat(config.template(true).render(request.withTools(List.of(Map.of("type", "function")))))
                .isEqualTo("T1</s>");
    }

    @Test
    void malformedJsonIsReportedWithItsPosition(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("messages.json");
        Files.writeString(file, "[{\"role\": \"user\",\n \"content\": }]");
        assertThatThrownBy(() -> JsonValues.readObjects(file))
                .isInstanceOf(TemplateException.class).hasMessageContaining("malformed JSON").hasMessageContaining("line 2");
        Files.writeString(file, "{\"role\": \"user\"}");
        assertThatThrownBy(() -> JsonValues.readObjects(file)).hasMessageContaining("must hold a JSON array of objects");
        Files.write(file, new byte[] {'[', '"', (byte) 0xff, '"', ']'});
        assertThatThrownBy(() -> JsonValues.readObjects(file)).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> TokenizerConfig.read(dir.resolve("absent"))).hasMessageContaining("no tokenizer_config.json");
    }
}
