package dev.kopi.eval.run;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.aggregate.Estimate;
import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.data.JsonLines;

/**
 * Aggregated scores in the shape of SEA-HELM's aggregation output: per language, per competency
 * ({@code tasks}, {@code aggregation_groups}), each level with {@code mean}, {@code stderr} and {@code mean_list};
 * at the top the overall and {@code sea_} averages.
 */
public final class ScoresJson {
    private ScoresJson() {}

    public static ObjectNode write(Scores scores, Map<String, String> skipped, String model) {
        ObjectNode root = JsonLines.JSON.createObjectNode();
        root.put("model", model);
        ObjectNode languages = root.putObject("languages");
        scores.languages().forEach((lang, language) -> {
            ObjectNode langNode = languages.putObject(lang);
            ObjectNode competencies = langNode.putObject("competencies");
            language.competencies().forEach((name, competency) -> {
                ObjectNode compNode = competencies.putObject(name);
                ObjectNode tasks = compNode.putObject("tasks");
                competency.tasks().forEach((task, entry) -> {
                    ObjectNode taskNode = tasks.putObject(task);
                    put(taskNode, "", entry.score());
                    if (entry.group() != null) {
                        taskNode.put("aggregation_group", entry.group());
                        taskNode.put("ignore", true);
                    }
                    if (entry.incomplete()) {
                        taskNode.put("is_incomplete", true);
                    }
                });
                ObjectNode groups = compNode.putObject("aggregation_groups");
                competency.groups().forEach((group, estimate) -> put(groups.putObject(group), "", estimate));
                put(compNode, "", competency.score());
            });
            put(langNode, "", language.score());
        });
        if (scores.overall() != null) {
            put(root, "", scores.overall());
        }
        if (scores.sea() != null) {
            put(root, "sea_", scores.sea());
        }
        root.putPOJO("skipped", skipped);
        return root;
    }

    private static void put(ObjectNode node, String prefix, Estimate estimate) {
        node.put(prefix + "mean", estimate.mean());
        node.put(prefix + "stderr", estimate.stderr());
        ArrayNode list = node.putArray(prefix + "mean_list");
        estimate.perBootstrap().forEach(list::add);
    }
}
