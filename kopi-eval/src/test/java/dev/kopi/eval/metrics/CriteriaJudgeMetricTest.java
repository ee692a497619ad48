package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.backend.Completion;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.config.TaskTree;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;

class CriteriaJudgeMetricTest {
    static final String CONFIG = """
            judged:
              name: judged
              competency: cultural
              metric_class: %s
              metric: average_criteria_score
              judge:
                judge_generation_kwargs:
                  max_tokens: 512
                  reasoning_effort: high
                classifications:
                  CLASS_UNMET: 0
                  CLASS_SLIGHTLY_MET: 0.25
                  CLASS_MODERATELY_MET: 0.5
                  CLASS_MAJORLY_MET: 0.75
                  CLASS_EXACTLY_MET: 1.0
                judge_prompts:
                  system_prompt: "You judge."
                  criteria_prompt: %s
                  reference_prompt: "Reference: {reference}"
              languages:
                tl:
                  filepath: x.jsonl
                  prompt_template:
                    preamble: ""
                    task_template: "Q: {text}"
                    answer_template: ""
                    answer_tag: ""
            """;

    /** A judge answering from a script keyed by a marker in the criterion; keeps what it was asked. */
    record ScriptedJudge(Map<String, String> verdicts, List<ChatRequest> asked) implements Backend {
        @Override
        public Completion complete(ChatRequest request) {
            asked.add(request);
            String user = request.messages().get(1).content();
            return new Completion(verdicts.entrySet().stream().filter(e -> user.contains(e.getKey())).findFirst().orElseThrow().getValue(),
                    null, "stop", 0, 0);
        }

        @Override
        public int concurrency() {
            return 2;
        }

        @Override
        public String modelName() {
            return "judge";
        }
    }

    static TaskConfig task(Path dir, String metricClass, String criteriaPrompt) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), CONFIG.formatted(metricClass, criteriaPrompt));
        return TaskTree.load(dir).task("judged");
    }

    static EvalItem item(String json) throws Exception {
        return EvalItem.of((ObjectNode) JsonLines.JSON.readTree(json), "test");
    }

    @Test
    void criteriaScoresAverageClassificationsWithReferenceWhenAsked(@TempDir Path dir) throws Exception {
        TaskConfig task = task(dir, "CriteriaJudgeMetric",
                "\"Prompt: {prompt}|Response: {response}|Criterion: {keyPointText}|{reference_text_block}|end\"");
        EvalItem item = item("""
                {"id": "k1", "label": "Adobo", "metadata": {"category": "food"},
                 "prompts": [{"text": "Ulam?", "dish": "adobo"}],
                 "criteria": [{"criterion": "<<c1>> mentions {dish}", "include_reference": true},
                              {"criterion": "<<c2>> is polite"}]}""");
        List<ChatRequest> asked = new CopyOnWriteArrayList<>();
        ScriptedJudge judge = new ScriptedJudge(Map.of(
                "<<c1>>", "<reflection>ok</reflection><classification>CLASS_EXACTLY_MET</classification> <classification>CLASS_UNMET</classification>",
                "<<c2>>", "<classification> CLASS_SLIGHTLY_MET </classification>"), asked);
        TaskScore score = new CriteriaJudgeMetric(task, task.language("tl"), judge, JudgeLog.none())
                .score(List.of(new ItemResponse(item, List.of("Adobo po."))));
        // first classification counts: 1.0 and 0.25 -> 0.625
        assertThat(score.items().get(0).individualScores().get("average_criteria_score")).isCloseTo(0.625, within(1e-15));
        assertThat(score.metrics().get("average_criteria_score")).isCloseTo(62.5, within(1e-12));
        assertThat(score.metrics().get("category:food")).isCloseTo(0.625, within(1e-15));
        ChatRequest first = asked.stream().filter(r -> r.messages().get(1).content().contains("<<c1>>")).findFirst().orElseThrow();
        assertThat(first.messages().get(0).content()).isEqualTo("You judge.");
        assertThat(first.messages().get(1).content()).isEqualTo("Prompt: Q: Ulam?|Response: Adobo po.|Criterion: <<c1>> mentions adobo|\nReference: Adobo\n|end");
        assertThat(first.maxTokens()).isEqualTo(512);
        assertThat(first.extra()).containsEntry("reasoning_effort", "high");
    }

    @Test
    void mtBenchAveragesTurnsAndTakesTheLastClassification(@TempDir Path dir) throws Exception {
        TaskConfig task = task(dir, "MTBenchJudgeMetric",
                "{turn_1: \"T1 {transcript} R {response} C {keyPointText}\", turn_2: \"T2 {transcript} R {response} C {keyPointText}\"}");
        EvalItem item = item("""
                {"id": "m1", "label": "", "metadata": {"category": "writing"},
                 "prompts": [{"text": "one"}, {"text": "two"}],
                 "criteria": [{"criterion": "<<a>>", "turn": 0}, {"criterion": "<<b>>", "turn": 0}, {"criterion": "<<c>>", "turn": 1}]}""");
        List<ChatRequest> asked = new CopyOnWriteArrayList<>();
        ScriptedJudge judge = new ScriptedJudge(Map.of(
                "<<a>>", "<classification>CLASS_UNMET</classification> then <classification>CLASS_EXACTLY_MET</classification>",
                "<<b>>", "<classification>CLASS_MODERATELY_MET</classification>",
                "<<c>>", "no tag at all"), asked);
        TaskScore score = new CriteriaJudgeMetric(task, task.language("tl"), judge, JudgeLog.none())
                .score(List.of(new ItemResponse(item, List.of("first answer", "second answer"))));
        // turn 1: (1.0 + 0.5)/2 = 0.75; turn 2: 0 -> 0.375
        assertThat(score.items().get(0).individualScores().get("average_criteria_score")).isCloseTo(0.375, within(1e-15));
        String second = asked.stream().map(r -> r.messages().get(1).content()).filter(c -> c.contains("<<c>>")).findFirst().orElseThrow();
        assertThat(second).isEqualTo("T2 [User]\nQ: one\n\n[Assistant (fixed)]\nfirst answer\n\n[User]\nQ: two R second answer C <<c>>");
    }
}
