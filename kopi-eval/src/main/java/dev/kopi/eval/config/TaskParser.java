package dev.kopi.eval.config;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one interpolated task node into a {@link TaskConfig}, naming the task and field of anything missing. */
final class TaskParser {
    private TaskParser() {}

    static TaskConfig parse(String key, JsonNode node) {
        if (!node.isObject()) {
            throw new EvalConfigException("task " + key + ": expected a mapping");
        }
        Map<String, LanguageConfig> languages = new LinkedHashMap<>();
        JsonNode langs = node.path("languages");
        if (!langs.isObject()) {
            throw new EvalConfigException("task " + key + ": missing 'languages'");
        }
        langs.properties().forEach(e -> languages.put(e.getKey(), language(key, e.getKey(), e.getValue())));
        JsonNode fewshot = node.path("fewshot_num_examples");
        return new TaskConfig(
                key,
                node.path("name").asText(key),
                required(key, node, "competency"),
                node.path("metric_class").asText(""),
                required(key, node, "metric"),
                textOrNull(node.get("aggregation_group")),
                fewshot.path("instruct").asInt(0),
                fewshot.path("base").asInt(5),
                node.path("max_n_runs").asInt(0),
                node.path("use_logprobs").asBoolean(false),
                Map.copyOf(languages),
                node);
    }

    private static LanguageConfig language(String task, String lang, JsonNode node) {
        JsonNode prompt = node.path("prompt_template");
        String where = "task " + task + " language " + lang;
        PromptTemplate template = new PromptTemplate(
                prompt.path("preamble").asText(""),
                prompt.path("task_template").asText(""),
                prompt.path("answer_template").asText(""),
                prompt.path("answer_tag").asText(""));
        int maxTokens = node.path("max_tokens").asInt(0);
        if (node.has("max_tokens") && maxTokens <= 0) {
            throw new EvalConfigException(where + ": max_tokens must be a positive integer");
        }
        return new LanguageConfig(
                lang,
                node.path("filepath").asText(null),
                textOrNull(node.get("example_filepath")),
                maxTokens,
                template,
                node);
    }

    private static String required(String task, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new EvalConfigException("task " + task + ": missing '" + field + "'");
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
