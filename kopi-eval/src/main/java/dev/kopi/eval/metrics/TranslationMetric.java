package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.prompt.PyFormat;

/**
 * Machine translation (SEA-HELM's {@code TranslationMetric}): the rest of the line after the tag, scored with
 * MetricX-24 (error score 0 best .. 25 worst, normalised as (25 − score)/25) and optionally corpus chrF++.
 *
 * <p>MetricX is a regression model, not a chat model; kopi sends it the task's {@code judge_prompts} text
 * ({@code source: ... candidate: ... reference: ...}) as one user message to an OpenAI-compatible endpoint and reads
 * the score from the answer's content.
 */
public final class TranslationMetric implements TaskMetric {
    static final double METRICX_WORST = 25;
    static final double METRICX_BEST = 0;

    private final AnswerExtractor extractor;
    private final boolean chrf;
    private final Backend metricx;
    private final String metricxPrompt;
    private final JudgeLog log;

    /**
     * @param metricx       the MetricX endpoint, or null to skip MetricX
     * @param metricxPrompt the task's {@code judge.judge_prompts} template
     * @param log           where judgements are kept, so a resumed run does not ask again
     */
    public TranslationMetric(String answerTag, boolean chrf, Backend metricx, String metricxPrompt, JudgeLog log) {
        this.extractor = AnswerExtractor.restOfLine(answerTag);
        this.chrf = chrf;
        this.metricx = metricx;
        this.metricxPrompt = metricxPrompt;
        this.log = log;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) throws IOException, InterruptedException {
        GeneratedText text = GeneratedText.of(responses, extractor);
        List<String> predictions = text.predictions();
        List<String> references = text.references();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("null_count", text.emptyCount());
        List<ItemScore> items = new ArrayList<>();
        if (metricx != null) {
            double rawSum = 0;
            double normalizedSum = 0;
            for (int i = 0; i < responses.size(); i++) {
                String id = responses.get(i).item().id();
                String source = responses.get(i).item().prompts().get(0).path("text").asText("");
                String prompt = PyFormat.format(metricxPrompt,
                        Map.of("source", source, "pred", predictions.get(i), "ref", references.get(i)), "MetricX prompt");
                double score = log.score(id, prompt, () -> {
                    String answer = metricx.complete(new ChatRequest(List.of(ChatMessage.user(prompt)), 16, List.of(), null, Map.of())).content();
                    return new JudgeLog.Verdict(parseScore(answer), answer);
                });
                double normalized = 100 * TaskMetric.normalize(score, METRICX_WORST, METRICX_BEST);
                rawSum += score;
                normalizedSum += normalized;
                items.add(new ItemScore(id, predictions.get(i), Map.of("normalized_metricx_wmt24_scores", normalized)));
            }
            metrics.put("metricx_wmt24_scores", rawSum / responses.size());
            metrics.put("normalized_metricx_wmt24_scores", normalizedSum / responses.size());
        } else {
            for (int i = 0; i < responses.size(); i++) {
                items.add(new ItemScore(responses.get(i).item().id(), predictions.get(i), Map.of()));
            }
        }
        if (chrf) {
            double score = ChrF.corpusScore(predictions, references);
            metrics.put("chrf_score", score);
            metrics.put("normalized_chrf_score", TaskMetric.normalize(score, 0, 1));
        }
        return new TaskScore(metrics, items);
    }

    static double parseScore(String content) throws IOException {
        try {
            return Double.parseDouble(content.strip());
        } catch (NumberFormatException e) {
            throw new IOException("MetricX endpoint answered '" + content + "', not a number");
        }
    }
}
