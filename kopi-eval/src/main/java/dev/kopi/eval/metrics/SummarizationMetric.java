package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Abstractive summarisation (SEA-HELM's {@code SummarizationMetric}): the rest of the line after the tag, scored with
 * ROUGE-L F1 under SEA-HELM's multilingual tokenization, and optionally corpus chrF++.
 *
 * <p>SEA-HELM reports the corpus ROUGE-L as the median of 1000 bootstrap means of the item scores; kopi reports the
 * plain mean, which that median estimates. The leaderboard aggregation uses the item scores, where both agree.
 */
public final class SummarizationMetric implements TaskMetric {
    private final AnswerExtractor extractor;
    private final RougeTokenizer tokenizer;
    private final boolean rouge;
    private final boolean chrf;

    public SummarizationMetric(String answerTag, String language, boolean rouge, boolean chrf) {
        this.extractor = AnswerExtractor.restOfLine(answerTag);
        this.tokenizer = new RougeTokenizer(language);
        this.rouge = rouge;
        this.chrf = chrf;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        GeneratedText text = GeneratedText.of(responses, extractor);
        List<String> predictions = text.predictions();
        List<String> references = text.references();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("null_count", text.emptyCount());
        List<ItemScore> items = new ArrayList<>();
        if (rouge) {
            double[] sums = new double[3];
            for (int i = 0; i < predictions.size(); i++) {
                double[] prf = RougeL.score(tokenizer.tokenize(references.get(i)), tokenizer.tokenize(predictions.get(i)));
                for (int k = 0; k < 3; k++) {
                    sums[k] += prf[k];
                }
                items.add(new ItemScore(responses.get(i).item().id(), predictions.get(i),
                        Map.of("normalized_rougel_f1", TaskMetric.normalize(100 * prf[2], 0, 1))));
            }
            int n = predictions.size();
            metrics.put("rougel_precision", 100 * sums[0] / n);
            metrics.put("rougel_recall", 100 * sums[1] / n);
            metrics.put("rougel_f1", 100 * sums[2] / n);
            metrics.put("normalized_rougel_f1", 100 * TaskMetric.normalize(sums[2] / n, 0, 1));
        }
        if (chrf) {
            double score = ChrF.corpusScore(predictions, references);
            metrics.put("chrf_score", score);
            metrics.put("normalized_chrf_score", TaskMetric.normalize(score, 0, 1));
        }
        if (!rouge) {
            for (int i = 0; i < predictions.size(); i++) {
                items.add(new ItemScore(responses.get(i).item().id(), predictions.get(i), Map.of()));
            }
        }
        return new TaskScore(metrics, items);
    }
}
