package dev.kopi.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.kopi.testkit.Fixtures;

/**
 * Every chat template in llama.cpp's {@code models/templates/} rendered with realistic conversations by kopi and
 * by Jinja2 (as Hugging Face runs it): each must be byte-identical, or raise where Jinja2 raises (with the same
 * message for {@code raise_exception}), for every conversation, unless it is in {@link #EXCLUDED} with a reason.
 */
class LlamaCppTemplatesTest {
    /** Templates kopi does not render like Jinja2, and why. Keep this list honest: it is checked both ways. */
    static final Map<String, String> EXCLUDED = Map.of();

    private static final Map<String, String> SPECIAL_TOKENS = Map.of("bos_token", "<s>", "eos_token", "</s>");

    @Test
    void rendersLikeJinja2() throws IOException {
        Path folder = Fixtures.llamaCppSource().resolve("models/templates");
        List<Path> templates;
        try (Stream<Path> files = Files.list(folder)) {
            templates = files.filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
        }
        assertThat(templates).hasSizeGreaterThanOrEqualTo(60);
        Map<String, String> failures = new TreeMap<>();
        int cases = 0;
        for (Path file : templates) {
            String source = Files.readString(file);
            String name = file.getFileName().toString();
            for (Map.Entry<String, ChatRequest> request : Conversations.requests().entrySet()) {
                cases++;
                String difference = Parity.difference(source,
                        request.getValue().withSpecialTokens(SPECIAL_TOKENS).variables());
                if (difference != null) {
                    failures.putIfAbsent(name, request.getKey() + ": " + difference);
                }
            }
        }
        int identical = templates.size() - failures.size();
        double percent = 100.0 * identical / templates.size();
        System.out.printf("llama.cpp templates: %d of %d byte-identical to Jinja2 (%.1f%%) over %d renderings%n",
                identical, templates.size(), percent, cases);
        List<String> unexplained = new ArrayList<>();
        failures.forEach((name, why) -> {
            if (!EXCLUDED.containsKey(name)) {
                unexplained.add(name + " -> " + why);
            }
        });
        assertThat(unexplained).as("templates that differ from Jinja2 without a documented reason").isEmpty();
        assertThat(EXCLUDED.keySet()).as("excluded templates that now match Jinja2 (remove them from the list)")
                .allMatch(failures::containsKey);
        assertThat(percent).isGreaterThanOrEqualTo(95.0);
    }
}
