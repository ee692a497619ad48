package dev.kopi.eval.metrics;

import java.util.List;
import java.util.Map;

/**
 * The scores of one item: SEA-HELM's {@code individual_scores} (metric name to value) and the cleaned prediction.
 *
 * @param prediction the extracted answer (a label, {@code null} label or text)
 * @param perTurn    the values SEA-HELM's aggregation reads for this item when they are not the one value of the
 *                   task's metric: one per turn (a pairwise judge scores each turn), or none (an item the aggregation
 *                   leaves out); null otherwise
 */
public record ItemScore(String id, String prediction, Map<String, Double> individualScores, List<Double> perTurn) {
    public ItemScore {
        individualScores = Map.copyOf(individualScores);
        perTurn = perTurn == null ? null : List.copyOf(perTurn);
    }

    public ItemScore(String id, String prediction, Map<String, Double> individualScores) {
        this(id, prediction, individualScores, null);
    }
}
