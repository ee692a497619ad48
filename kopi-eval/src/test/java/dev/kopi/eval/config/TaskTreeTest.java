package dev.kopi.eval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskTreeTest {
    static final String CONFIG = """
            base-task:
              metadata:
                version: 2
              name: base
              competency: nlr
              metric_class: F1AccMetric
              metric: normalized_accuracy
              aggregation_group: group-a
              fewshot_num_examples:
                instruct: 0
                base: 3
              languages:
                ta:
                  filepath: data/ta.jsonl
                  max_tokens: 16
                  prompt_template:
                    preamble: "P {answer_tag}"
                    task_template: "T {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "பதில்:"
            copy-task:
              metadata: ${base-task.metadata}
              name: copy-${base-task.name}
              competency: ${base-task.competency}
              metric_class: ${base-task.metric_class}
              metric: ${base-task.metric}
              aggregation_group: group-a
              languages: ${base-task.languages}
            """;

    @Test
    void interpolatesAndExpandsSuites(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("x"));
        Files.writeString(dir.resolve("x/config.yaml"), CONFIG);
        Files.writeString(dir.resolve("task_config.yaml"), "s:\n  ta: [\"group-a\"]\nall-suite:\n  ta: all\ngap:\n  ta: [\"base-task\", \"missing-task\"]\n");
        TaskTree tree = TaskTree.load(dir);
        TaskConfig copy = tree.task("copy-task");
        assertThat(copy.name()).isEqualTo("copy-base");
        assertThat(copy.competency()).isEqualTo("nlr");
        assertThat(copy.raw().path("metadata").path("version").asInt()).isEqualTo(2);
        assertThat(copy.language("ta").prompt().answerTag()).isEqualTo("பதில்:");
        assertThat(copy.language("ta").maxTokens()).isEqualTo(16);
        assertThat(copy.fewshotBase()).isEqualTo(5);
        assertThat(tree.task("base-task").fewshotBase()).isEqualTo(3);
        assertThat(tree.suite("s")).containsEntry("ta", List.of("base-task", "copy-task"));
        assertThat(tree.suite("all-suite")).containsEntry("ta", List.of("base-task", "copy-task"));
        assertThat(tree.selection(List.of("copy-task"), List.of())).containsEntry("ta", List.of("copy-task"));
        // a suite may name a task the tree lacks (SEA-HELM's seahelm_logprobs does); the runner skips it
        assertThat(tree.suite("gap")).containsEntry("ta", List.of("base-task", "missing-task"));
        assertThat(tree.defines("missing-task")).isFalse();
        assertThat(tree.defines("group-a")).isTrue();
        assertThatThrownBy(() -> tree.suite("nope")).hasMessageContaining("unknown suite nope");
        assertThatThrownBy(() -> tree.task("nope")).hasMessageContaining("unknown task nope");
        assertThatThrownBy(() -> copy.language("xx")).hasMessageContaining("has no language xx");
    }

    @Test
    void badTreesGiveClearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TaskTree.load(dir.resolve("missing"))).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> TaskTree.load(dir)).hasMessageContaining("no config.yaml");
        Files.writeString(dir.resolve("config.yaml"), "a: [unclosed\n");
        assertThatThrownBy(() -> TaskTree.load(dir)).hasMessageContaining("not valid YAML");
        Files.writeString(dir.resolve("config.yaml"), "a:\n  competency: x\n  metric: m\n  languages:\n    id: {}\n  name: ${b.c}\n");
        assertThatThrownBy(() -> TaskTree.load(dir)).hasMessageContaining("${b.c}").hasMessageContaining("missing key");
        Files.writeString(dir.resolve("config.yaml"), "a:\n  x: ${a.y}\n  y: ${a.x}\n");
        assertThatThrownBy(() -> TaskTree.load(dir)).hasMessageContaining("circular reference");
        Files.writeString(dir.resolve("config.yaml"), "a:\n  metric: m\n  languages:\n    id: {}\n");
        assertThatThrownBy(() -> TaskTree.load(dir)).hasMessageContaining("task a: missing 'competency'");
    }
}
