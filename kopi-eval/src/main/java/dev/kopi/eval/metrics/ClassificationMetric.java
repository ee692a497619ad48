package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Multiple-choice and classification tasks (SEA-HELM's {@code F1AccMetric}): the answer after the tag is matched
 * against the labels of the dataset, normalised (lower case, outer punctuation stripped) and mapped back to a
 * label, or to {@code null} when it is none of them. Scores are balanced accuracy (normalised for chance, 1/number
 * of labels) and macro-F1.
 */
public final class ClassificationMetric implements TaskMetric {
    public static final String NULL_LABEL = "null";

    private final String answerTag;

    public ClassificationMetric(String answerTag) {
        this.answerTag = answerTag;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        List<String> references = responses.stream().map(r -> r.item().labelText()).toList();
        Map<String, String> labelByLowerCase = new HashMap<>();
        for (String label : new TreeSet<>(references)) {
            labelByLowerCase.put(PyText.lower(label), label);
        }
        AnswerExtractor extractor = AnswerExtractor.labels(answerTag, alternation(labelByLowerCase.values()));
        List<String> predictions = new ArrayList<>();
        List<ItemScore> items = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            String answer = normalize(extractor.extract(responses.get(i).first()));
            String prediction = labelByLowerCase.getOrDefault(answer, NULL_LABEL);
            predictions.add(prediction);
            double correct = prediction.equals(references.get(i)) ? 1 : 0;
            items.add(new ItemScore(responses.get(i).item().id(), prediction, Map.of("normalized_accuracy", correct)));
        }
        double balancedAccuracy = ClassificationStats.balancedAccuracy(references, predictions);
        double macroF1 = ClassificationStats.macroF1(references, predictions, null);
        double trueLabelF1 = ClassificationStats.macroF1(references, predictions, new TreeSet<>(references));
        long nullCount = predictions.stream().filter(NULL_LABEL::equals).count();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 100 * balancedAccuracy);
        metrics.put("macro_f1", 100 * macroF1);
        metrics.put("null_weighted_f1", 100 * trueLabelF1 * (1 - (double) nullCount / predictions.size()));
        metrics.put("normalized_accuracy", 100 * TaskMetric.normalize(balancedAccuracy, 1.0 / labelByLowerCase.size(), 1));
        metrics.put("null_count", (double) nullCount);
        return new TaskScore(metrics, items);
    }

    /**
     * The labels as a regex alternation. SEA-HELM joins a Python set, whose order varies between runs; kopi puts
     * longer labels first so that a label which is a prefix of another never shadows it.
     */
    static String alternation(java.util.Collection<String> labels) {
        return String.join("|", labels.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .toList());
    }

    /** SEA-HELM's answer normalisation: lower case, strip punctuation, spaces and newlines at both ends, collapse spaces. */
    static String normalize(String answer) {
        return PyText.collapseSpaces(PyText.strip(PyText.lower(answer), PyText.ASCII_PUNCTUATION + " \n"));
    }
}
