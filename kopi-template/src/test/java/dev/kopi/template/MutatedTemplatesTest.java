package dev.kopi.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.kopi.testkit.Fixtures;

/**
 * Corrupted real templates (characters deleted, duplicated or replaced at random, fixed seed) either render or
 * fail with a {@link TemplateException}: never another exception, a hang or a crash.
 */
class MutatedTemplatesTest {
    private static final String ALPHABET = "{}%#-+()[]'\".,|~=<>!*/ \nabcxyz0129_";

    @Test
    void corruptedTemplatesFailCleanly() throws Exception {
        Path folder = Fixtures.llamaCppSource().resolve("models/templates");
        List<String> sources = new ArrayList<>();
        for (String name : List.of("Qwen-Qwen3-0.6B.jinja", "meta-llama-Llama-3.1-8B-Instruct.jinja",
                "google-gemma-2-2b-it.jinja", "openai-gpt-oss-120b.jinja", "Mistral-Small-3.2-24B-Instruct-2506.jinja")) {
            sources.add(Files.readString(folder.resolve(name)));
        }
        Map<String, Object> variables = ChatRequest.of(Conversations.toolUse()).withTools(Conversations.TOOLS)
                .withSpecialTokens(Map.of("bos_token", "<s>", "eos_token", "</s>")).variables();
        Random random = new Random(20261128);
        int rendered = 0;
        int failed = 0;
        for (int i = 0; i < 1500; i++) {
            StringBuilder source = new StringBuilder(sources.get(i % sources.size()));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(source.length());
                switch (random.nextInt(3)) {
                    case 0 -> source.deleteCharAt(at);
                    case 1 -> source.insert(at, source.charAt(at));
                    default -> source.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            try {
                ChatTemplate.parse(source.toString()).render(variables);
                rendered++;
            } catch (TemplateException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("internal error");
                failed++;
            }
        }
        assertThat(rendered).isPositive();
        assertThat(failed).isPositive();
    }
}
