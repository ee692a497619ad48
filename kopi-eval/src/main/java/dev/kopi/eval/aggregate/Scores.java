package dev.kopi.eval.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregated scores: per language, per competency, per task (and aggregation group), the overall average over all
 * languages and the SEA average over {@link Aggregator#SEA_LANGUAGES}.
 *
 * @param overall null when no task was scored
 * @param sea     null when no SEA language was scored
 */
public record Scores(Map<String, Language> languages, Estimate overall, Estimate sea) {

    public record Language(Map<String, Competency> competencies, Estimate score) {}

    /**
     * @param tasks  every task's own score (tasks in a group are listed but count through their group)
     * @param groups aggregation groups: the mean of their tasks
     */
    public record Competency(Map<String, TaskEntry> tasks, Map<String, Estimate> groups, Estimate score) {

        static final class Builder {
            private final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
            private final Map<String, List<List<Double>>> groupMembers = new LinkedHashMap<>();

            void add(TaskRuns task, Estimate estimate, boolean incomplete) {
                tasks.put(task.task(), new TaskEntry(estimate, task.aggregationGroup(), incomplete));
                if (task.aggregationGroup() != null) {
                    groupMembers.computeIfAbsent(task.aggregationGroup(), g -> new ArrayList<>()).add(estimate.perBootstrap());
                }
            }

            Competency build() {
                List<List<Double>> parts = new ArrayList<>();
                tasks.values().stream().filter(t -> t.group() == null).forEach(t -> parts.add(t.score().perBootstrap()));
                Map<String, Estimate> groups = new LinkedHashMap<>();
                groupMembers.forEach((group, members) -> {
                    Estimate estimate = Estimate.of(Estimate.elementwiseMean(members));
                    groups.put(group, estimate);
                    parts.add(estimate.perBootstrap());
                });
                return new Competency(tasks, groups, Estimate.of(Estimate.elementwiseMean(parts)));
            }
        }
    }

    /** @param group the aggregation group the task counts through, or null */
    public record TaskEntry(Estimate score, String group, boolean incomplete) {}
}
