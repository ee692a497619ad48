package dev.kopi.eval.metrics;

import java.util.List;
import java.util.Map;

/**
 * The result of scoring one task language in one run.
 *
 * @param metrics task-level metrics keyed as SEA-HELM keys them ({@code normalized_accuracy}, {@code macro_f1}, ...)
 * @param items   per-item scores, in item order
 */
public record TaskScore(Map<String, Double> metrics, List<ItemScore> items) {
    public TaskScore {
        metrics = Map.copyOf(metrics);
        items = List.copyOf(items);
    }
}
