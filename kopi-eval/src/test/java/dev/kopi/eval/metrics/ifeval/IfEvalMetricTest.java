package dev.kopi.eval.metrics.ifeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.metrics.ItemResponse;
import dev.kopi.eval.metrics.TaskScore;

/** SEA-IFEval scoring with the language gate; expected values are counted by hand in the comments. */
class IfEvalMetricTest {
    static final String INDONESIAN = "Saya sangat suka minum kopi setiap pagi karena rasanya enak dan membuat saya bersemangat bekerja.";
    static final String ENGLISH = "I really like drinking coffee every morning because it tastes good and keeps me going.";

    static ItemResponse item(String id, String category, String subcategory, String kwargs, String answer) throws Exception {
        ObjectNode row = (ObjectNode) JsonLines.JSON.readTree("""
                {"id": "%s", "prompts": [{"text": "prompt"}], "kwargs": [%s],
                 "metadata": {"category": "%s", "subcategory": "%s"}}""".formatted(id, kwargs, category, subcategory));
        return new ItemResponse(EvalItem.of(row, "test"), List.of(answer));
    }

    @Test
    void gateFailsAnswersInTheWrongLanguage() throws Exception {
        List<ItemResponse> responses = List.of(
                // follows (keyword present), Indonesian -> pass
                item("1", "keywords", "keywords:existence", "{\"keywords\": [\"kopi\"], \"num_words\": null}", INDONESIAN),
                // follows (quoted), but English -> fail
                item("2", "startend", "startend:quotation", "{}", "\"" + ENGLISH + "\""),
                // a language item: the gate asks for the language the instruction names (en) -> pass
                item("3", "language", "language:response_language", "{\"response_language\": \"en\"}", ENGLISH),
                // no title, Indonesian -> fail
                item("4", "detectable_format", "detectable_format:title", "{}", INDONESIAN));
        TaskScore score = new IfEvalMetric("id", LanguageIdentifier.shared()).score(responses);
        assertThat(score.items()).extracting(s -> s.individualScores().get(IfEvalMetric.METRIC)).containsExactly(1.0, 0.0, 1.0, 0.0);
        // followed 3 of 4, right language 3 of 4, both 2 of 4
        assertThat(score.metrics().get("overall_count")).isEqualTo(4.0);
        assertThat(score.metrics().get("overall_pass")).isEqualTo(3.0);
        assertThat(score.metrics().get("overall_acc")).isCloseTo(75.0, within(1e-12));
        assertThat(score.metrics().get("correct_language_rate")).isCloseTo(0.75, within(1e-12));
        assertThat(score.metrics().get(IfEvalMetric.METRIC)).isCloseTo(50.0, within(1e-12));
        assertThat(score.metrics().get("subcategory:startend:quotation")).isEqualTo(1.0);
        assertThat(score.metrics().get("subcategory:detectable_format:title")).isEqualTo(0.0);
        assertThat(score.items()).allSatisfy(s -> assertThat(s.perTurn()).isNull());
    }

    @Test
    void wordCountsAreNotScoredInUnspacedLanguages() throws Exception {
        String wordCount = "{\"relation\": \"at least\", \"num_words\": 3}";
        List<ItemResponse> thai = List.of(
                item("1", "length_constraints", "length_constraints:number_words", wordCount, "สวัสดีครับ"),
                item("2", "detectable_content", "detectable_content:postscript", "{\"postscript_marker\": \"ป.ล.\"}",
                        "สวัสดีครับ ยินดีที่ได้รู้จัก\nป.ล. ขอบคุณมากครับ"));
        TaskScore th = new IfEvalMetric("th", LanguageIdentifier.shared()).score(thai);
        assertThat(th.items().get(0).individualScores().get(IfEvalMetric.METRIC)).isNaN();
        assertThat(th.items().get(0).perTurn()).isEmpty();  // SEA-HELM's aggregation drops it for th and my
        assertThat(th.metrics().get("overall_count")).isEqualTo(1.0);
        assertThat(th.metrics().get(IfEvalMetric.METRIC)).isEqualTo(100.0);

        TaskScore lo = new IfEvalMetric("lo", LanguageIdentifier.shared()).score(List.of(
                item("1", "length_constraints", "length_constraints:number_words", wordCount, "ສະບາຍດີ")));
        assertThat(lo.items().get(0).perTurn()).containsExactly(0.0);  // and counts it as 0 for lo and km
        assertThat(lo.metrics().get("overall_count")).isEqualTo(0.0);
    }

    @Test
    void languagesWithoutAnIdentifierAreUnsupported() {
        assertThat(IfEvalMetric.unsupportedLanguage("jv", LanguageIdentifier.shared())).contains("'jv'");
        assertThat(IfEvalMetric.unsupportedLanguage("th", LanguageIdentifier.shared())).isNull();
    }
}
