package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.List;

/** Scores the responses of one task language, as the SEA-HELM metric class named in the task config does. */
public interface TaskMetric {
    TaskScore score(List<ItemResponse> responses) throws IOException, InterruptedException;

    /** SEA-HELM's {@code normalize_score}: (score − min)/(max − min), floored at 0; 0 when min equals max. */
    static double normalize(double score, double min, double max) {
        if (min == max) {
            return 0.0;
        }
        return Math.max((score - min) / (max - min), 0.0);
    }
}
