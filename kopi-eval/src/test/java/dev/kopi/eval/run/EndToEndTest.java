package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.eval.data.JsonLines;

/**
 * The fixture suite (id, th, my, vi) against a scripted OpenAI-compatible endpoint and a scripted MetricX endpoint;
 * every level of the aggregation must equal the hand-computed values in {@link FixtureTasks}.
 */
class EndToEndTest {
    private static final double EPS = 1e-9;

    @Test
    void fixtureSuiteScoresEqualHandComputedValues(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        FixtureTasks.write(tasks);
        try (MockChatServer model = new MockChatServer(MockChatServer.byMarker(FixtureTasks.ANSWERS), 0);
                MockChatServer metricx = FixtureTasks.metricx();
                OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(model.baseUrl(), "sk-test", "org/fixture-model").withConcurrency(3));
                OpenAiBackend judge = new OpenAiBackend(OpenAiBackend.Settings.of(metricx.baseUrl(), null, "metricx-24"))) {
            EvalOptions options = new EvalOptions(tasks, "fixture", List.of(), List.of(), 1, 7, false, true, 100, 0,
                    tmp.resolve("out"), judge, null, null, null);
            EvalRunner.Result result = new EvalRunner(options, backend).run();
            Scores scores = result.scores();

            var id = scores.languages().get("id");
            assertThat(id.competencies().get("nlu").tasks().get("sentiment").score().mean()).isCloseTo(FixtureTasks.ID_SENTIMENT, within(EPS));
            assertThat(id.competencies().get("nlu").tasks().get("qa").score().mean()).isCloseTo(FixtureTasks.ID_QA, within(EPS));
            assertThat(id.competencies().get("nlu").score().mean()).isCloseTo(FixtureTasks.ID_NLU, within(EPS));
            var nlg = id.competencies().get("nlg");
            assertThat(nlg.tasks().get("translation-en-xx").score().mean()).isCloseTo(FixtureTasks.ID_TRANSLATION_EN_XX, within(EPS));
            assertThat(nlg.tasks().get("translation-xx-en").score().mean()).isCloseTo(FixtureTasks.ID_TRANSLATION_XX_EN, within(EPS));
            assertThat(nlg.groups().get("translations").mean()).isCloseTo(FixtureTasks.ID_TRANSLATIONS, within(EPS));
            assertThat(nlg.score().mean()).isCloseTo(FixtureTasks.ID_TRANSLATIONS, within(EPS));
            assertThat(id.score().mean()).isCloseTo(FixtureTasks.ID, within(EPS));

            var th = scores.languages().get("th");
            assertThat(th.competencies().get("nlu").score().mean()).isCloseTo(FixtureTasks.TH_SENTIMENT, within(EPS));
            assertThat(th.competencies().get("nlg").score().mean()).isCloseTo(FixtureTasks.TH_ABSSUM, within(EPS));
            assertThat(th.score().mean()).isCloseTo(FixtureTasks.TH, within(EPS));
            var my = scores.languages().get("my");
            assertThat(my.competencies().get("nlu").score().mean()).isCloseTo(FixtureTasks.MY_SENTIMENT, within(EPS));
            assertThat(my.competencies().get("nlg").score().mean()).isCloseTo(FixtureTasks.MY_ABSSUM, within(EPS));
            assertThat(my.score().mean()).isCloseTo(FixtureTasks.MY, within(EPS));
            assertThat(scores.languages().get("vi").score().mean()).isCloseTo(FixtureTasks.VI, within(EPS));
            assertThat(scores.sea().mean()).isCloseTo(FixtureTasks.SEA, within(EPS));
            assertThat(scores.overall().mean()).isCloseTo(FixtureTasks.SEA, within(EPS));
            assertThat(scores.sea().stderr()).isZero();
            assertThat(scores.sea().perBootstrap()).hasSize(30);

            // the second turn of the two-turn QA item carries the model's first answer
            JsonNode secondTurn = model.requests.stream()
                    .filter(r -> MockChatServer.lastUser(r).contains("<<qa-id-2b>>")).findFirst().orElseThrow();
            JsonNode messages = secondTurn.path("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
            assertThat(messages.get(1).path("content").asText()).isEqualTo("Jawaban: Merapi Jawa");
            assertThat(messages.get(2).path("content").asText()).startsWith("Jawablah pertanyaan berikut.");
            // thinking switched on: chat_template_kwargs and the think budget added to max_tokens
            assertThat(secondTurn.path("chat_template_kwargs").path("enable_thinking").asBoolean()).isTrue();
            assertThat(secondTurn.path("max_tokens").asInt()).isEqualTo(164);
            assertThat(secondTurn.path("seed").asLong()).isEqualTo(7);
            // zero-shot: one user message with the preamble, no examples
            JsonNode sentiment = model.requests.stream()
                    .filter(r -> MockChatServer.lastUser(r).contains("<<s-id-1>>")).findFirst().orElseThrow();
            assertThat(sentiment.path("messages")).hasSize(1);
            assertThat(sentiment.path("messages").get(0).path("content").asText()).isEqualTo(
                    "Apa sentimen dari kalimat berikut ini? Jawablah dengan format \"Jawaban: ANSWER\".\n\nKalimat:\n```\n<<s-id-1>> 7\n```");

            // SEA-HELM-shaped outputs
            Path out = tmp.resolve("out");
            JsonNode scoresJson = JsonLines.JSON.readTree(out.resolve("scores.json").toFile());
            assertThat(scoresJson.path("sea_mean").asDouble()).isCloseTo(FixtureTasks.SEA, within(EPS));
            assertThat(scoresJson.path("languages").path("id").path("competencies").path("nlg").path("aggregation_groups")
                    .path("translations").path("mean").asDouble()).isCloseTo(60, within(EPS));
            List<JsonNode> items = JsonLines.read(out.resolve("run_0/inferences/id/translations/fixture-model_translation-en-xx_id.jsonl"))
                    .stream().map(JsonNode.class::cast).toList();
            assertThat(items).hasSize(2);
            assertThat(items.get(1).path("individual_scores").path("normalized_metricx_wmt24_scores").asDouble()).isCloseTo(80, within(EPS));
            List<JsonNode> sentimentItems = JsonLines.read(out.resolve("run_0/inferences/id/sentiment/fixture-model_sentiment_id.jsonl"))
                    .stream().map(JsonNode.class::cast).toList();
            assertThat(sentimentItems.get(0).path("cleaned_response").asText()).isEqualTo("Positif");
            assertThat(sentimentItems.get(5).path("cleaned_response").asText()).isEqualTo("null");
            JsonNode results = JsonLines.JSON.readTree(out.resolve("run_0/results.json").toFile());
            assertThat(results.path("id").path("nlu").path("sentiment").path("normalized_accuracy").asDouble()).isCloseTo(25, within(EPS));
            List<JsonNode> log = JsonLines.read(out.resolve("run_0/responses/id/sentiment.jsonl")).stream().map(JsonNode.class::cast).toList();
            JsonNode withReasoning = log.stream().filter(r -> r.path("id").asText().equals("s-id-4")).findFirst().orElseThrow();
            assertThat(withReasoning.path("reasoning").asText()).isEqualTo("Kalimat ini positif.");
            JsonNode inlineThink = log.stream().filter(r -> r.path("id").asText().equals("s-id-1")).findFirst().orElseThrow();
            assertThat(inlineThink.path("reasoning").asText()).isEqualTo("Jawaban: Negatif?");
            assertThat(inlineThink.path("content").asText()).isEqualTo("Jawaban: Positif");

            String report = Files.readString(out.resolve("report.html"));
            assertThat(report).contains("<b>SEA average</b>: 51.25").contains("<svg").contains("translations").doesNotContain("<script");

            // running again resumes everything: no new request, same scores
            int served = model.served.get();
            int judged = metricx.served.get();
            Scores again = new EvalRunner(options, backend).run().scores();
            assertThat(model.served.get()).isEqualTo(served);
            assertThat(metricx.served.get()).isEqualTo(judged);
            assertThat(again.sea().mean()).isEqualTo(scores.sea().mean());
            assertThat(Files.readString(out.resolve("run_0/responses/id/sentiment.jsonl")).lines().count()).isEqualTo(6);
        }
    }
}
