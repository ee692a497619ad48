package dev.kopi.eval.aggregate;

import java.util.List;

/**
 * The per-item scores of one task language over several runs, as SEA-HELM's aggregation reads them from the
 * inference files.
 *
 * @param scores           per run, the item scores in item order (an empty list for a run that is missing)
 * @param labels           the items' labels as text, or null when labels are not single strings (lists, ...)
 * @param aggregationGroup the task's aggregation group, or null
 * @param probabilities    the scores are probabilities (0..100) that the item is answered right, from one run of a
 *                         log-probability task: each resample draws right or wrong per item
 */
public record TaskRuns(String language, String competency, String task, String aggregationGroup,
        List<List<Double>> scores, List<String> labels, boolean probabilities) {
    public TaskRuns(String language, String competency, String task, String aggregationGroup, List<List<Double>> scores, List<String> labels) {
        this(language, competency, task, aggregationGroup, scores, labels, false);
    }

    public TaskRuns {
        scores = scores.stream().map(List::copyOf).toList();
        labels = labels == null ? null : List.copyOf(labels);
    }

    /**
     * SEA-HELM treats a task as multiple choice (balanced accuracy, chance-normalised) when its labels are single
     * strings that repeat.
     */
    public boolean isMultipleChoice() {
        return labels != null && !labels.isEmpty() && labels.stream().distinct().count() != labels.size();
    }
}
