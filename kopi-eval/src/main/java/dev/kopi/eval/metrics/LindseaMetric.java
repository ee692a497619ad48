package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * LINDSEA's choice tasks: minimal pairs (SEA-HELM's {@code MinimalPairsMetric}, task mp-r) and pragmatic reasoning
 * ({@code PragmaticReasoningMetric}, pragmatic-single and pragmatic-pair). The answer is the last label after the tag
 * ({@code answer_tag[\s*]*(labels)*}, case-sensitive), or the whole response when no label follows it; normalised
 * (lower case, outer punctuation stripped) and mapped back to a label, or to {@code null}. An item scores 1 when that
 * is its label. Minimal pairs report each linguistic phenomenon's accuracy, their mean, and that mean normalised for
 * chance; pragmatic reasoning reports each phenomenon's correct count and size.
 */
public final class LindseaMetric implements TaskMetric {
    private final String answerTag;
    private final boolean minimalPairs;

    /** @param minimalPairs MinimalPairsMetric's task metrics; otherwise PragmaticReasoningMetric's */
    public LindseaMetric(String answerTag, boolean minimalPairs) {
        this.answerTag = answerTag;
        this.minimalPairs = minimalPairs;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        Map<String, String> labelByLowerCase = new HashMap<>();
        for (ItemResponse r : responses) {
            labelByLowerCase.put(PyText.lower(r.item().labelText()), r.item().labelText());
        }
        AnswerExtractor extractor = AnswerExtractor.optionalLabels(answerTag,
                ClassificationMetric.alternation(new TreeSet<>(labelByLowerCase.values())));
        List<ItemScore> items = new ArrayList<>();
        Map<String, int[]> byPhenomenon = new LinkedHashMap<>();
        for (ItemResponse response : responses) {
            String answer = ClassificationMetric.normalize(extractor.extract(response.first()));
            String prediction = labelByLowerCase.getOrDefault(answer, ClassificationMetric.NULL_LABEL);
            // SEA-HELM compares with the label itself (pragmatics) or its mapped spelling (minimal pairs); they agree
            boolean correct = prediction.equals(response.item().labelText());
            int[] counts = byPhenomenon.computeIfAbsent(
                    response.item().metadata().path("linguistic_phenomenon").asText(""), k -> new int[2]);
            counts[0] += correct ? 1 : 0;
            counts[1]++;
            items.add(new ItemScore(response.item().id(), prediction, Map.of("normalized_accuracy", correct ? 1.0 : 0.0)));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (minimalPairs) {
            double sum = 0;
            for (Map.Entry<String, int[]> e : byPhenomenon.entrySet()) {
                double accuracy = 100.0 * e.getValue()[0] / e.getValue()[1];
                metrics.put("subcategory:" + e.getKey(), accuracy);
                sum += accuracy;
            }
            double accuracy = sum / byPhenomenon.size();
            metrics.put("accuracy", accuracy);
            metrics.put("normalized_accuracy", 100 * TaskMetric.normalize(accuracy, 100.0 / labelByLowerCase.size(), 100));
        } else {
            byPhenomenon.forEach((phenomenon, counts) -> {
                metrics.put("subcategory:" + phenomenon + ":correct", (double) counts[0]);
                metrics.put("subcategory:" + phenomenon + ":size", (double) counts[1]);
            });
        }
        return new TaskScore(metrics, items);
    }
}
