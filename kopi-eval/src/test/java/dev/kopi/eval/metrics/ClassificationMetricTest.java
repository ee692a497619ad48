package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;

class ClassificationMetricTest {
    static final List<String> TRUTH = List.of(
            "Positif", "Negatif", "Netral", "Positif", "Negatif", "Positif", "Netral", "Netral", "Positif", "Negatif");
    static final List<String> PREDICTED = List.of(
            "Positif", "Negatif", "null", "Negatif", "Negatif", "Positif", "Netral", "Positif", "null", "Negatif");

    /**
     * Expected values computed with scikit-learn 1.2.1 (Debian python3-sklearn) on these lists:
     * balanced_accuracy_score(t, p) = 0.611111111111111; f1_score(t, p, average="macro") = 0.4821428571428572;
     * f1_score(t, p, labels=list(set(t)), average="macro") = 0.6428571428571429.
     */
    @Test
    void statisticsMatchScikitLearn() {
        assertThat(ClassificationStats.balancedAccuracy(TRUTH, PREDICTED)).isCloseTo(0.611111111111111, within(1e-15));
        assertThat(ClassificationStats.macroF1(TRUTH, PREDICTED, null)).isCloseTo(0.4821428571428572, within(1e-15));
        assertThat(ClassificationStats.macroF1(TRUTH, PREDICTED, new java.util.TreeSet<>(TRUTH)))
                .isCloseTo(0.6428571428571429, within(1e-15));
    }

    @Test
    void extractsMapsAndScoresAsSeaHelm() {
        List<String> answers = List.of(
                "Jawaban: Positif",
                "jawaban: **negatif**",
                "Saya tidak tahu",               // no tag, not a label -> null
                "Jawaban: Negatif.",
                "Negatif",                        // no tag, whole response is a label
                "Alasannya panjang.\nJawaban:  POSITIF",
                "Jawaban: Netral",
                "Jawaban: Positif",
                "Jawaban: Mungkin",              // tag but no label -> whole response -> null
                "Jawaban: Negatif");
        List<ItemResponse> responses = new ArrayList<>();
        for (int i = 0; i < TRUTH.size(); i++) {
            responses.add(new ItemResponse(item(String.valueOf(i), TRUTH.get(i)), List.of(answers.get(i))));
        }
        TaskScore score = new ClassificationMetric("Jawaban:").score(responses);
        assertThat(score.items().stream().map(ItemScore::prediction).toList()).isEqualTo(PREDICTED);
        assertThat(score.metrics().get("accuracy")).isCloseTo(61.1111111111111, within(1e-9));
        assertThat(score.metrics().get("macro_f1")).isCloseTo(48.21428571428572, within(1e-9));
        // null-weighted F1 = F1 over the true labels x (1 - 2/10 nulls)
        assertThat(score.metrics().get("null_weighted_f1")).isCloseTo(64.28571428571429 * 0.8, within(1e-9));
        // (0.6111 - 1/3) / (1 - 1/3) = 0.416666...
        assertThat(score.metrics().get("normalized_accuracy")).isCloseTo(41.666666666666664, within(1e-9));
        assertThat(score.metrics().get("null_count")).isEqualTo(2.0);
        assertThat(score.items().get(0).individualScores()).containsEntry("normalized_accuracy", 1.0);
        assertThat(score.items().get(3).individualScores()).containsEntry("normalized_accuracy", 0.0);
    }

    @Test
    void normalisationFloorsBelowChanceAtZero() {
        assertThat(TaskMetric.normalize(0.2, 0.25, 1)).isZero();
        assertThat(TaskMetric.normalize(0.625, 0.25, 1)).isCloseTo(0.5, within(1e-15));
        assertThat(TaskMetric.normalize(3, 25, 0)).isCloseTo(22.0 / 25, within(1e-15));
        assertThat(TaskMetric.normalize(1, 1, 1)).isZero();
    }

    static EvalItem item(String id, String label) {
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", id);
        row.put("label", label);
        row.putArray("prompts").addObject().put("text", "t" + id);
        return EvalItem.of(row, "test");
    }
}
