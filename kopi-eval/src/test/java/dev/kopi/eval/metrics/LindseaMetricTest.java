package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.data.EvalItem;

/** LINDSEA's metrics (MinimalPairsMetric, PragmaticReasoningMetric, LindseaJudgeMetric); sums worked by hand in comments. */
class LindseaMetricTest {
    static ItemResponse item(String id, String label, String phenomenon, String answer) throws Exception {
        EvalItem item = CriteriaJudgeMetricTest.item("""
                {"id": "%s", "label": "%s", "prompts": [{"sentence_pair": "x"}], "metadata": {"linguistic_phenomenon": "%s"}}"""
                .formatted(id, label, phenomenon));
        return new ItemResponse(item, List.of(answer));
    }

    static List<ItemResponse> responses() throws Exception {
        return List.of(
                item("1", "A", "agreement", "Jawaban: A"),
                item("2", "B", "agreement", "Jawaban: **B**"),
                // case-sensitive: "a" is no label after the tag, so the whole response is the answer -> null
                item("3", "A", "word order", "Jawaban: a"),
                // no tag: the whole response "B." normalises to b -> B
                item("4", "B", "word order", "B."),
                // the repeated group keeps its last repetition: "AB" -> B
                item("5", "A", "word order", "Jawaban: AB"));
    }

    @Test
    void minimalPairsAverageThePhenomenaAndNormaliseForChance() throws Exception {
        TaskScore score = new LindseaMetric("Jawaban:", true).score(responses());
        assertThat(score.items()).extracting(ItemScore::prediction).containsExactly("A", "B", "null", "B", "B");
        assertThat(score.items()).extracting(s -> s.individualScores().get("normalized_accuracy")).containsExactly(1.0, 1.0, 0.0, 1.0, 0.0);
        // agreement 2/2 = 100, word order 1/3 = 33.33; mean 66.67; (66.67 - 50)/(100 - 50) = 33.33
        assertThat(score.metrics().get("subcategory:agreement")).isCloseTo(100, within(1e-12));
        assertThat(score.metrics().get("subcategory:word order")).isCloseTo(100.0 / 3, within(1e-12));
        assertThat(score.metrics().get("accuracy")).isCloseTo(200.0 / 3, within(1e-12));
        assertThat(score.metrics().get("normalized_accuracy")).isCloseTo(100.0 / 3, within(1e-12));
    }

    @Test
    void pragmaticReasoningCountsPerPhenomenon() throws Exception {
        TaskScore score = new LindseaMetric("Jawaban:", false).score(responses());
        assertThat(score.items()).extracting(s -> s.individualScores().get("normalized_accuracy")).containsExactly(1.0, 1.0, 0.0, 1.0, 0.0);
        assertThat(score.metrics()).containsEntry("subcategory:agreement:correct", 2.0).containsEntry("subcategory:agreement:size", 2.0)
                .containsEntry("subcategory:word order:correct", 1.0).containsEntry("subcategory:word order:size", 3.0);
    }

    static final String CRITERIA_PROMPT = "\"{prompt}|{response}|{keyPointText}\"";

    @Test
    void lindseaJudgeWeighsSeverityAndMultipliesByTheGenericScore(@TempDir Path dir) throws Exception {
        TaskConfig task = CriteriaJudgeMetricTest.task(dir, "LindseaJudgeMetric", CRITERIA_PROMPT);
        EvalItem item = CriteriaJudgeMetricTest.item("""
                {"id": "s1", "label": "", "metadata": {"category": "syntax"}, "prompts": [{"text": "Tulis kalimat"}],
                 "criteria": [{"criterion": "<<c0>>", "severity": "high"}, {"criterion": "<<c1>>", "severity": "low"},
                              {"criterion": "<<c2>>", "severity": "generic"}, {"criterion": "<<c3>>", "severity": "Generic"}]}""");
        CriteriaJudgeMetricTest.ScriptedJudge judge = new CriteriaJudgeMetricTest.ScriptedJudge(Map.of(
                "<<c0>>", "<classification>CLASS_EXACTLY_MET</classification>",
                "<<c1>>", "<classification>CLASS_UNMET</classification>",
                "<<c2>>", "<classification>CLASS_EXACTLY_MET</classification>",
                "<<c3>>", "<classification>CLASS_UNMET</classification> no: <classification>CLASS_EXACTLY_MET</classification>"),
                new CopyOnWriteArrayList<ChatRequest>());
        TaskScore score = new CriteriaJudgeMetric(task, task.language("tl"), judge, JudgeLog.none())
                .score(List.of(new ItemResponse(item, List.of("Kalimat."))));
        // specific: (1*10 + 0*1)/11; generic: the last classification counts -> (1 + 1)/2 = 1; overall 10/11
        Map<String, Double> individual = score.items().get(0).individualScores();
        assertThat(individual.get("criteria_score")).isCloseTo(10.0 / 11, within(1e-15));
        assertThat(individual.get("generic_score")).isEqualTo(1.0);
        assertThat(individual.get("average_criteria_score")).isCloseTo(10.0 / 11, within(1e-15));
        assertThat(score.metrics().get("average_criteria_score")).isCloseTo(1000.0 / 11, within(1e-12));
        assertThat(score.metrics().get("category:syntax")).isCloseTo(1000.0 / 11, within(1e-12));
    }

    @Test
    void lindseaJudgePairsCriteriaWithVerdictsSortedByIdAsText(@TempDir Path dir) throws Exception {
        TaskConfig task = CriteriaJudgeMetricTest.task(dir, "LindseaJudgeMetric", CRITERIA_PROMPT);
        StringBuilder criteria = new StringBuilder();
        Map<String, String> verdicts = new HashMap<>();
        List<String> severities = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            severities.add(i == 2 ? "generic" : "high");
            criteria.append(i == 0 ? "" : ", ").append("{\"criterion\": \"<<c").append(i).append(">>\", \"severity\": \"")
                    .append(severities.get(i)).append("\"}");
            verdicts.put("<<c" + i + ">>", "<classification>" + (i == 10 ? "CLASS_UNMET" : "CLASS_EXACTLY_MET") + "</classification>");
        }
        EvalItem item = CriteriaJudgeMetricTest.item("""
                {"id": "s2", "label": "", "metadata": {"category": "syntax"}, "prompts": [{"text": "x"}], "criteria": [%s]}"""
                .formatted(criteria));
        TaskScore score = new CriteriaJudgeMetric(task, task.language("tl"),
                new CriteriaJudgeMetricTest.ScriptedJudge(verdicts, new CopyOnWriteArrayList<>()), JudgeLog.none())
                .score(List.of(new ItemResponse(item, List.of("y"))));
        // ids sort as criteria0, criteria1, criteria10, criteria2, ...: the generic third criterion meets the verdict of
        // criteria10 (UNMET) -> generic 0 -> overall 0 (pairing by position would give 0.9)
        assertThat(score.items().get(0).individualScores().get("generic_score")).isZero();
        assertThat(score.items().get(0).individualScores().get("average_criteria_score")).isZero();
    }
}
