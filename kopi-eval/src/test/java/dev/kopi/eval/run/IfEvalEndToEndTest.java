package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.run.MockChatServer.Reply;

/**
 * SEA-IFEval in Thai and Javanese through the runner: a Thai word-count item is unscored and left out of the
 * aggregation (SEA-HELM's notebook skips it for th and my), and Javanese, which no identifier kopi has can name, is
 * listed as skipped.
 */
class IfEvalEndToEndTest {
    static final String CONFIG = """
            if-eval:
              name: if-eval
              competency: instruction-following
              metric_class: IFEvalMetric
              metric: overall_lang_normalized_acc
              languages:
                th:
                  filepath: data/th.jsonl
                  max_tokens: 64
                  prompt_template: {preamble: "", task_template: "{text}", answer_template: "", answer_tag: ""}
                jv:
                  filepath: data/th.jsonl
                  max_tokens: 64
                  prompt_template: {preamble: "", task_template: "{text}", answer_template: "", answer_tag: ""}
            """;

    @Test
    void unscoredItemsLeaveTheAggregationAndUnidentifiableLanguagesAreSkipped(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        Files.createDirectories(tasks.resolve("data"));
        Files.writeString(tasks.resolve("config.yaml"), CONFIG);
        Files.writeString(tasks.resolve("data/th.jsonl"), """
                {"id": "w", "prompts": [{"text": "<<w>>"}], "kwargs": [{"relation": "at least", "num_words": 5, "postscript_marker": null}], "metadata": {"category": "length_constraints", "subcategory": "length_constraints:number_words"}}
                {"id": "p", "prompts": [{"text": "<<p>>"}], "kwargs": [{"relation": null, "num_words": null, "postscript_marker": "ป.ล."}], "metadata": {"category": "detectable_content", "subcategory": "detectable_content:postscript"}}
                {"id": "q", "prompts": [{"text": "<<q>>"}], "kwargs": [{"relation": null, "num_words": null, "postscript_marker": "ป.ล."}], "metadata": {"category": "detectable_content", "subcategory": "detectable_content:postscript"}}
                """);
        Map<String, Reply> answers = Map.of(
                "<<w>>", Reply.ok("สวัสดีครับ"),
                "<<p>>", Reply.ok("สวัสดีครับ ยินดีที่ได้รู้จัก\nป.ล. ขอบคุณมากครับ"),
                "<<q>>", Reply.ok("Hello, nice to meet you.\nป.ล. thank you very much"));  // follows, but in English
        try (MockChatServer model = new MockChatServer(MockChatServer.byMarker(answers), 0);
                OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(model.baseUrl(), null, "org/m"))) {
            EvalOptions options = new EvalOptions(tasks, null, List.of("if-eval"), List.of(), 1, 0, false, null, 0, 0,
                    tmp.resolve("out"), null, null, null, null);
            EvalRunner.Result result = new EvalRunner(options, backend).run();
            assertThat(result.skipped()).containsOnlyKeys("if-eval (jv)");
            assertThat(result.skipped().get("if-eval (jv)")).contains("no language identifier for 'jv'");
            // aggregation sees p (1) and q (0): 50; the word-count item is not a 0
            var task = result.scores().languages().get("th").competencies().get("instruction-following").tasks().get("if-eval");
            assertThat(task.score().mean()).isCloseTo(50, within(1e-9));
            List<ObjectNode> rows = JsonLines.read(tmp.resolve("out/run_0/inferences/th/if-eval/m_if-eval_th.jsonl"));
            assertThat(rows.get(0).path("individual_scores").path("overall_lang_normalized_acc").isNull()).isTrue();
            assertThat(rows.get(1).path("individual_scores").path("overall_lang_normalized_acc").asDouble()).isEqualTo(1.0);
            assertThat(rows.get(2).path("individual_scores").path("overall_lang_normalized_acc").asDouble()).isEqualTo(0.0);
        }
    }
}
