package dev.kopi.eval.metrics.ifeval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.metrics.ItemResponse;
import dev.kopi.eval.metrics.ItemScore;
import dev.kopi.eval.metrics.TaskMetric;
import dev.kopi.eval.metrics.TaskScore;

/**
 * SEA-IFEval (SEA-HELM's {@code IFEvalMetric}): each item carries one instruction ({@code metadata.subcategory},
 * arguments in {@code kwargs[0]}); the first answer either follows it or not ({@link Instructions}). The language
 * gate then fails any answer not written in the task language (for items of the {@code language} category, in the
 * language the instruction names); Indonesian and Malay count as each other. The item score is the gated result.
 *
 * <p>Word counts are undefined in Thai, Lao, Khmer and Burmese: those items get no result (NaN) and leave the task
 * metrics; SEA-HELM's aggregation then drops them for Thai and Burmese and counts them as 0 for Lao and Khmer, and
 * so does kopi. SEA-IFEval has one score per item (SEA-HELM computes no loose variant).
 */
public final class IfEvalMetric implements TaskMetric {
    public static final String METRIC = "overall_lang_normalized_acc";

    /** The languages whose unscored word-count items SEA-HELM's aggregation drops instead of counting as 0. */
    private static final Set<String> AGGREGATION_DROPS_WORD_COUNTS = Set.of("th", "my");

    private final String language;
    private final LanguageIdentifier languages;
    private final Instructions instructions;

    public IfEvalMetric(String language, LanguageIdentifier languages) {
        this.language = language;
        this.languages = languages;
        this.instructions = new Instructions(languages);
    }

    /** Why kopi cannot gate answers in {@code language}, or null when it can. */
    public static String unsupportedLanguage(String language, LanguageIdentifier languages) {
        return languages.canIdentify(language) ? null
                : "no language identifier for '" + language + "' (SEA-IFEval's language gate; docs/eval.md)";
    }

    /** One item's outcome: whether it followed the instruction and whether it was in the right language. */
    record Outcome(boolean followed, boolean rightLanguage) {
        boolean passed() {
            return followed && rightLanguage;
        }
    }

    /** The outcome for one item, or null when SEA-HELM does not score it. */
    Outcome judge(EvalItem item, String answer) {
        JsonNode metadata = item.metadata();
        String subcategory = metadata.path("subcategory").asText("");
        if (Instructions.UNSPACED.contains(language) && subcategory.contains("number_words")) {
            return null;
        }
        ObjectNode args = withoutNulls(item.row().path("kwargs").path(0));
        boolean followed = instructions.follows(subcategory, language, answer, args);
        String wanted = metadata.path("category").asText("").equals("language")
                ? args.path("response_language").asText(language)
                : language;
        if (!languages.canIdentify(wanted)) {
            throw new EvalConfigException("item " + item.id() + ": " + unsupportedLanguage(wanted, languages));
        }
        Set<String> accepted = wanted.equals("id") || wanted.equals("ms") ? Set.of("id", "ms") : Set.of(wanted);
        return new Outcome(followed, languages.isOneOf(answer.replace("\n", " "), accepted));
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        List<ItemScore> items = new ArrayList<>();
        int scored = 0;
        int followed = 0;
        int rightLanguage = 0;
        int passed = 0;
        Map<String, int[]> bySubcategory = new TreeMap<>();
        for (ItemResponse response : responses) {
            EvalItem item = response.item();
            Outcome outcome = judge(item, response.first());
            if (outcome == null) {
                List<Double> aggregated = AGGREGATION_DROPS_WORD_COUNTS.contains(language) ? List.of() : List.of(0.0);
                items.add(new ItemScore(item.id(), response.first(), Map.of(METRIC, Double.NaN), aggregated));
                continue;
            }
            scored++;
            followed += outcome.followed() ? 1 : 0;
            rightLanguage += outcome.rightLanguage() ? 1 : 0;
            passed += outcome.passed() ? 1 : 0;
            int[] counts = bySubcategory.computeIfAbsent(item.metadata().path("subcategory").asText(""), k -> new int[2]);
            counts[0] += outcome.followed() ? 1 : 0;
            counts[1]++;
            items.add(new ItemScore(item.id(), response.first(), Map.of(METRIC, outcome.passed() ? 1.0 : 0.0)));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("overall_count", (double) scored);
        metrics.put("overall_pass", (double) followed);
        metrics.put("overall_acc", scored == 0 ? 0 : 100.0 * followed / scored);
        metrics.put("correct_language_rate", scored == 0 ? 0 : (double) rightLanguage / scored);
        metrics.put(METRIC, scored == 0 ? 0 : 100.0 * passed / scored);
        bySubcategory.forEach((name, counts) -> metrics.put("subcategory:" + name, (double) counts[0] / counts[1]));
        return new TaskScore(metrics, items);
    }

    /** SEA-HELM drops the arguments that are null (the dataset's columns are the union of all instructions' arguments). */
    private static ObjectNode withoutNulls(JsonNode args) {
        ObjectNode copy = JsonLines.JSON.createObjectNode();
        args.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }
}
