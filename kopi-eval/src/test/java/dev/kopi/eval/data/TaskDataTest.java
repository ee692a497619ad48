package dev.kopi.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.config.TaskTree;
import dev.kopi.eval.prompt.PromptBuilder;

/** SEA-HELM's custom data loaders (ThaiExamDataloader, GlobalMMLULiteDataloader, PragmaticDataloader). */
class TaskDataTest {
    static TaskConfig task(Path dir, String yaml, String key) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return TaskTree.load(dir).task(key);
    }

    @Test
    void thaiExamRowsBecomeNumberedItemsWithUpperCaseLabels(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("thai.jsonl"), """
                {"question": "Q1", "a": "1", "b": "2", "c": "3", "d": "4", "e": null, "answer": "b", "subject": "Math"}
                {"question": "Q2", "a": "x", "b": "y", "c": "z", "d": "w", "e": "v", "answer": "e", "subject": "Thai"}
                """);
        TaskConfig task = task(dir, """
                thai_exam_a_level-logprobs:
                  competency: knowledge
                  dataloader_class: ThaiExamDataloader
                  metric_class: F1AccMetric
                  metric: normalized_accuracy
                  languages:
                    th:
                      filepath: thai.jsonl
                      example_filepath: thai.jsonl
                      prompt_template:
                        preamble: ""
                        task_template: "{question} A: {a} E: {e}"
                        answer_template: "{answer_tag} {label}"
                        answer_tag: "คำตอบ:"
                """, "thai_exam_a_level-logprobs");
        TaskData.Loaded data = TaskData.load(new DatasetLoader(dir, null), task, task.language("th"), 1);
        assertThat(data.items()).extracting(EvalItem::id).containsExactly("0", "1");
        assertThat(data.items()).extracting(EvalItem::labelText).containsExactly("B", "E");
        assertThat(data.items().get(0).metadata().toString()).isEqualTo("{\"language\":\"th\",\"subject\":\"Math\"}");
        // the examples are the first rows of the same split; a null option prints as Python's None
        List<ChatMessage> prompt = new PromptBuilder(task.language("th"), data.examples(), "t").conversation(data.items().get(1), 1, List.of());
        assertThat(prompt).extracting(ChatMessage::content).containsExactly("Q1 A: 1 E: None", "คำตอบ: B", "Q2 A: x E: v");
    }

    @Test
    void globalMmluLiteDrawsExamplesFromTheItemsSubject(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("test.jsonl"), """
                {"id": "t1", "label": "A", "prompts": [{"question": "q-math", "subject": "MATH"}]}
                {"id": "t2", "label": "B", "prompts": [{"question": "q-law", "subject": "law"}]}
                """);
        Files.writeString(dir.resolve("dev.jsonl"), """
                {"id": "d1", "label": "C", "prompts": [{"question": "m1"}], "metadata": {"subject": "Math"}}
                {"id": "d2", "label": ["D"], "prompts": [{"question": "m2"}], "metadata": {"subject": "math"}}
                {"id": "d3", "label": "A", "prompts": [{"question": "h1"}], "metadata": {"subject": "History"}}
                """);
        TaskConfig task = task(dir, """
                global_mmlu_lite:
                  competency: knowledge
                  dataloader_class: GlobalMMLULiteDataloader
                  metric_class: F1AccMetric
                  metric: normalized_accuracy
                  languages:
                    id:
                      filepath: test.jsonl
                      example_filepath: dev.jsonl
                      prompt_template:
                        preamble: ""
                        task_template: "{question}"
                        answer_template: "{answer_tag} {label}"
                        answer_tag: "Jawaban:"
                """, "global_mmlu_lite");
        // one shot: every subject has one, so each is cut to its first
        TaskData.Loaded one = TaskData.load(new DatasetLoader(dir, null), task, task.language("id"), 1);
        PromptBuilder builder = new PromptBuilder(task.language("id"), one.examples(), "t");
        assertThat(builder.conversation(one.items().get(0), 1, List.of())).extracting(ChatMessage::content)
                .containsExactly("m1", "Jawaban: C", "q-math");
        assertThat(builder.conversation(one.items().get(1), 1, List.of())).extracting(ChatMessage::content).containsExactly("q-law");
        // two shots: history has only one, so no subject is cut (SEA-HELM keeps every example then)
        TaskData.Loaded five = TaskData.load(new DatasetLoader(dir, null), task, task.language("id"), 5);
        assertThat(new PromptBuilder(task.language("id"), five.examples(), "t").conversation(five.items().get(0), 1, List.of()))
                .extracting(ChatMessage::content).containsExactly("m1", "Jawaban: C", "m2", "Jawaban: D", "q-math");
        // zero shots: none
        TaskData.Loaded zero = TaskData.load(new DatasetLoader(dir, null), task, task.language("id"), 0);
        assertThat(new PromptBuilder(task.language("id"), zero.examples(), "t").conversation(zero.items().get(0), 1, List.of()))
                .hasSize(1);
    }

    @Test
    void pragmaticTasksNameTheirDatasetConfig(@TempDir Path dir) throws Exception {
        TaskConfig task = task(dir, """
                pragmatic-odd:
                  competency: linguistic-diagnostics
                  dataloader_class: PragmaticDataloader
                  metric_class: PragmaticReasoningMetric
                  metric: normalized_accuracy
                  languages:
                    id: {filepath: aisingapore/Linguistic-Diagnostics-Pragmatics}
                """, "pragmatic-odd");
        assertThatThrownBy(() -> TaskData.load(new DatasetLoader(dir, null), task, task.language("id"), 0))
                .hasMessageContaining("pragmatic-single and pragmatic-pair");
    }
}
