package dev.kopi.eval.metrics;

import java.util.Map;

/**
 * The scores of one item: SEA-HELM's {@code individual_scores} (metric name to value) and the cleaned prediction.
 *
 * @param prediction the extracted answer (a label, {@code null} label or text)
 */
public record ItemScore(String id, String prediction, Map<String, Double> individualScores) {
    public ItemScore {
        individualScores = Map.copyOf(individualScores);
    }
}
