package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.eval.config.TaskTree;
import dev.kopi.eval.metrics.PairwiseJudgeMetric.Outcome;

/** SEA-HELM's verdict rules of PairwiseLLMJudgeMetric (parse_judgement, get_final_judgement), case by case. */
class PairwiseJudgeMetricTest {
    static PairwiseJudgeMetric metric(Path dir, String ties) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), """
                pw:
                  competency: multi-turn
                  metric_class: PairwiseLLMJudgeMetric
                  metric: weighted_win_rate
                  judge:
                    judge_prompts:
                      without-reference: [{system_prompt: "s", prompt_template: "{question_1}"}]
                  baseline_model: base
                  %s
                  judgement_labels: {"A_wins": "[[A]]", "B_wins": "[[B]]", "Tie": "[[C]]"}
                  languages:
                    en: {filepath: x.jsonl}
                """.formatted(ties));
        return new PairwiseJudgeMetric(TaskTree.load(dir).task("pw"), null, JudgeLog.none());
    }

    @Test
    void verdictsNameExactlyOneLabelAndFlipWhenTheBaselineIsA(@TempDir Path dir) throws Exception {
        PairwiseJudgeMetric m = metric(dir, "ties_allowed: true");
        assertThat(m.parse("... [[A]]", false)).isEqualTo(Outcome.WIN);
        assertThat(m.parse("... [[A]]", true)).isEqualTo(Outcome.LOSE);
        assertThat(m.parse("[[B]]", true)).isEqualTo(Outcome.WIN);
        assertThat(m.parse("[[C]]", true)).isEqualTo(Outcome.TIE);
        assertThat(m.parse("[[A]] vs [[B]]", false)).isEqualTo(Outcome.ERROR);
        assertThat(m.parse("[A]", false)).isEqualTo(Outcome.ERROR);
        assertThat(m.parse(null, false)).isEqualTo(Outcome.ERROR);
        // both orders agree -> that outcome; a first tie or any disagreement -> tie
        assertThat(m.combine(Outcome.WIN, Outcome.WIN)).isEqualTo(Outcome.WIN);
        assertThat(m.combine(Outcome.LOSE, Outcome.LOSE)).isEqualTo(Outcome.LOSE);
        assertThat(m.combine(Outcome.TIE, Outcome.WIN)).isEqualTo(Outcome.TIE);
        assertThat(m.combine(Outcome.WIN, Outcome.ERROR)).isEqualTo(Outcome.TIE);
        assertThat(m.combine(Outcome.ERROR, Outcome.ERROR)).isEqualTo(Outcome.ERROR);
    }

    @Test
    void withoutTiesATieLabelIsAnErrorAndDisagreementToo(@TempDir Path dir) throws Exception {
        PairwiseJudgeMetric m = metric(dir, "ties_allowed: false");
        assertThat(m.parse("[[C]]", false)).isEqualTo(Outcome.ERROR);
        assertThat(m.parse("[[A]] [[C]]", false)).isEqualTo(Outcome.WIN);  // the tie label is not looked for
        assertThat(m.combine(Outcome.WIN, Outcome.LOSE)).isEqualTo(Outcome.ERROR);
        assertThat(m.combine(Outcome.LOSE, Outcome.LOSE)).isEqualTo(Outcome.LOSE);
    }

    @Test
    void missingSettingsAreNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), """
                pw:
                  competency: multi-turn
                  metric_class: PairwiseLLMJudgeMetric
                  metric: weighted_win_rate
                  judge: {judge_prompts: {without-reference: []}}
                  judgement_labels: {"A_wins": "[[A]]", "B_wins": "[[B]]", "Tie": "[[C]]"}
                  languages:
                    en: {filepath: x.jsonl}
                """);
        assertThatThrownBy(() -> new PairwiseJudgeMetric(TaskTree.load(dir).task("pw"), null, JudgeLog.none()))
                .hasMessageContaining("baseline_model");
    }
}
