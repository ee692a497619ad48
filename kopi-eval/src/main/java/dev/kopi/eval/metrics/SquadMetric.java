package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Extractive question answering (SEA-HELM's {@code QuestionAnsweringMetric}): the rest of the line after the answer
 * tag, scored with the SQuAD token F1 and exact match against the best of the reference answers. Thai and Chinese
 * are word-segmented first (against the first reference only, as SEA-HELM does).
 */
public final class SquadMetric implements TaskMetric {
    private final AnswerExtractor extractor;
    private final WordSegmenter segmenter;

    public SquadMetric(String answerTag, String language) {
        this.extractor = AnswerExtractor.restOfLine(answerTag);
        this.segmenter = language.equals("th") || language.equals("zh") ? new WordSegmenter(language) : null;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        List<ItemScore> items = new ArrayList<>();
        double f1Sum = 0;
        double exactSum = 0;
        for (ItemResponse response : responses) {
            String prediction = extractor.extract(response.first());
            List<String> references = references(response.item().label());
            if (segmenter != null) {
                prediction = segmented(prediction);
                references = List.of(segmented(references.isEmpty() ? "" : references.get(0)));
            }
            double f1 = 0;
            double exact = 0;
            for (String reference : references) {
                f1 = Math.max(f1, f1(prediction, reference));
                exact = Math.max(exact, exactMatch(prediction, reference) ? 1 : 0);
            }
            f1Sum += f1;
            exactSum += exact;
            items.add(new ItemScore(response.item().id(), prediction, Map.of("normalized_f1", f1)));
        }
        int n = responses.size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("exact_match", 100.0 * exactSum / n);
        metrics.put("f1", 100.0 * f1Sum / n);
        metrics.put("normalized_f1", TaskMetric.normalize(100.0 * f1Sum / n, 0, 1));
        return new TaskScore(metrics, items);
    }

    private String segmented(String text) {
        return String.join(" ", segmenter.segments(text));
    }

    private static List<String> references(JsonNode label) {
        List<String> references = new ArrayList<>();
        if (label.isArray()) {
            label.forEach(l -> references.add(l.asText()));
        } else if (!label.isMissingNode() && !label.isNull()) {
            references.add(label.asText());
        }
        return references;
    }

    /** SQuAD's normalisation: lower case, drop ASCII punctuation, collapse whitespace. */
    public static String normalize(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        String lower = PyText.lower(text);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (PyText.ASCII_PUNCTUATION.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return PyText.collapseSpaces(kept.toString());
    }

    /** SQuAD token F1 between a prediction and one reference. */
    public static double f1(String prediction, String reference) {
        List<String> predicted = PyText.split(normalize(prediction));
        List<String> truth = PyText.split(normalize(reference));
        Map<String, Integer> counts = new HashMap<>();
        truth.forEach(t -> counts.merge(t, 1, Integer::sum));
        int same = 0;
        for (String token : predicted) {
            Integer left = counts.get(token);
            if (left != null && left > 0) {
                counts.put(token, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / predicted.size();
        double recall = (double) same / truth.size();
        return 2 * precision * recall / (precision + recall);
    }

    public static boolean exactMatch(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference));
    }
}
