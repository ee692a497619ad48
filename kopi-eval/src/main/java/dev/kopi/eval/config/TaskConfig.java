package dev.kopi.eval.config;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One SEA-HELM task as its {@code config.yaml} defines it (after {@code ${...}} interpolation).
 *
 * @param key              the task's key in the task tree (as named in {@code task_config.yaml}), e.g. {@code sentiment}
 * @param name             the task's {@code name} field
 * @param metricClass      SEA-HELM's metric class name, e.g. {@code F1AccMetric}; kopi maps it to its own metric
 * @param metric           the key of the metric the aggregation uses, e.g. {@code normalized_accuracy}
 * @param aggregationGroup sub-tasks sharing a group are averaged into one score before the competency average
 * @param fewshotInstruct  in-context examples for instruct models (SEA-HELM: 0)
 * @param fewshotBase      in-context examples for base models (SEA-HELM: 5)
 * @param maxRuns          {@code max_n_runs}, or 0 when unlimited
 * @param raw              the whole task node, for metric-specific keys ({@code judge}, {@code use_chrf_metric}, ...)
 */
public record TaskConfig(
        String key,
        String name,
        String competency,
        String metricClass,
        String metric,
        String aggregationGroup,
        int fewshotInstruct,
        int fewshotBase,
        int maxRuns,
        boolean useLogprobs,
        Map<String, LanguageConfig> languages,
        JsonNode raw) {

    /** The language's settings, or an error naming the task and language. */
    public LanguageConfig language(String lang) {
        LanguageConfig config = languages.get(lang);
        if (config == null) {
            throw new EvalConfigException("task " + key + " has no language " + lang + " (it has " + languages.keySet() + ")");
        }
        return config;
    }

    /** The folder name SEA-HELM stores this task's inferences under: the aggregation group if any, else the key. */
    public String storageFolder() {
        return aggregationGroup != null ? aggregationGroup : key;
    }

    /** A boolean option of the task node, such as {@code use_chrf_metric}. */
    public boolean flag(String field, boolean fallback) {
        JsonNode node = raw.get(field);
        return node == null || node.isNull() ? fallback : node.asBoolean();
    }
}
