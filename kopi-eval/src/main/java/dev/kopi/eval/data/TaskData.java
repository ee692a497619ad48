package dev.kopi.eval.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.TaskConfig;

/**
 * The items and few-shot examples of one task language, built as the SEA-HELM data loader the task names
 * ({@code dataloader_class}) builds them. Most loaders read the dataset config named after the language, split
 * {@code eval} for items and {@code examples} for examples; the others differ as follows.
 * <ul>
 * <li>{@code TranslationDataloader}: the config is the direction ({@code en_to_id}, ...).</li>
 * <li>{@code PragmaticDataloader}: the config is {@code LANG_single} or {@code LANG_pair}.</li>
 * <li>{@code ThaiExamDataloader}: the config is the exam (the task key after {@code thai_exam_}), split
 * {@code test} for both items and examples (the first rows); each raw row {@code {question, a..e, answer, subject}}
 * becomes item number i with label {@code answer} in upper case.</li>
 * <li>{@code GlobalMMLULiteDataloader}: local JSONL files; an item's examples are those of its subject (the
 * {@code subject} value of its prompt, compared ignoring case), cut to the first few per subject only when every
 * subject has that many.</li>
 * </ul>
 */
public final class TaskData {
    /** SEA-HELM data loaders kopi implements. */
    public static final Set<String> LOADERS = Set.of("", "HuggingFaceDataloader", "SeaHelmLocalDataloader",
            "TranslationDataloader", "HuggingFaceCriteriaDataloader", "SeaHelmLocalCriteriaDataloader", "MTBenchJudgeDataloader",
            "HuggingFacePairwiseDataloader", "SeaHelmLocalPairwiseDataloader", "PragmaticDataloader", "ThaiExamDataloader",
            "GlobalMMLULiteDataloader");

    /**
     * @param examples the few-shot examples for one turn, given that turn's prompt values
     */
    public record Loaded(List<EvalItem> items, Function<ObjectNode, List<EvalItem>> examples) {}

    private TaskData() {}

    /**
     * @param shots the number of few-shot examples wanted (0 for none)
     */
    public static Loaded load(DatasetLoader loader, TaskConfig task, LanguageConfig language, int shots) {
        String lang = language.language();
        String dataloader = task.raw().path("dataloader_class").asText("");
        boolean wantExamples = shots > 0 && language.exampleFilepath() != null;
        return switch (dataloader) {
            case "ThaiExamDataloader" -> {
                String exam = task.key().replaceFirst("^thai_exam_", "").replaceFirst("-logprobs$", "");
                List<EvalItem> items = thaiExam(loader.rows(language.filepath(), exam, "test"));
                List<EvalItem> examples = wantExamples ? first(thaiExam(loader.rows(language.exampleFilepath(), exam, "test")), shots) : List.of();
                yield new Loaded(items, values -> examples);
            }
            case "GlobalMMLULiteDataloader" -> {
                List<EvalItem> items = loader.load(language.filepath(), lang, DatasetLoader.EVAL_SPLIT);
                Map<String, List<EvalItem>> bySubject = wantExamples
                        ? examplesBySubject(loader.load(language.exampleFilepath(), lang, DatasetLoader.EXAMPLES_SPLIT), shots)
                        : Map.of();
                yield new Loaded(items, values -> bySubject.getOrDefault(lower(values.path("subject").asText("")), List.of()));
            }
            default -> {
                String config = config(task, dataloader, lang);
                List<EvalItem> items = loader.load(language.filepath(), config, DatasetLoader.EVAL_SPLIT);
                List<EvalItem> examples = wantExamples
                        ? first(loader.load(language.exampleFilepath(), config, DatasetLoader.EXAMPLES_SPLIT), shots)
                        : List.of();
                yield new Loaded(items, values -> examples);
            }
        };
    }

    /** The dataset config of the loaders that read {@code eval}/{@code examples} splits. */
    private static String config(TaskConfig task, String dataloader, String lang) {
        return switch (dataloader) {
            case "TranslationDataloader" -> switch (task.key()) {
                case "translation-en-xx" -> "en_to_" + lang;
                case "translation-xx-en" -> lang + "_to_en";
                case "translation-id-xx" -> "id_to_" + lang;
                case "translation-xx-id" -> lang + "_to_id";
                default -> lang;
            };
            case "PragmaticDataloader" -> {
                String key = task.key().replaceFirst("-logprobs$", "");
                if (key.equals("pragmatic-single")) {
                    yield lang + "_single";
                }
                if (key.equals("pragmatic-pair")) {
                    yield lang + "_pair";
                }
                throw new EvalConfigException("task " + task.key() + ": PragmaticDataloader knows only pragmatic-single and pragmatic-pair");
            }
            default -> lang;
        };
    }

    private static List<EvalItem> first(List<EvalItem> items, int n) {
        return items.subList(0, Math.min(n, items.size()));
    }

    /** ThaiExam's raw rows as SEA-HELM's items: id = row number, label = the answer letter in upper case. */
    static List<EvalItem> thaiExam(DatasetLoader.Rows rows) {
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < rows.rows().size(); i++) {
            ObjectNode raw = rows.rows().get(i);
            String where = rows.source() + " row " + (i + 1);
            ObjectNode row = JsonLines.JSON.createObjectNode();
            row.put("id", i);
            row.put("label", required(raw, "answer", where).asText().toUpperCase(Locale.ROOT));
            ObjectNode prompt = row.putArray("prompts").addObject();
            prompt.set("question", required(raw, "question", where));
            for (String option : List.of("a", "b", "c", "d", "e")) {
                if (raw.has(option)) {
                    prompt.set(option, raw.get(option));
                }
            }
            row.putObject("metadata").put("language", "th").set("subject", raw.path("subject"));
            items.add(EvalItem.of(row, where));
        }
        return items;
    }

    private static JsonNode required(ObjectNode raw, String field, String where) {
        JsonNode value = raw.get(field);
        if (value == null || value.isNull()) {
            throw new EvalConfigException(where + ": ThaiExam row has no '" + field + "'");
        }
        return value;
    }

    /**
     * Global-MMLU-Lite's examples grouped by lower-cased subject ({@code metadata.subject}); each group is cut to its
     * first {@code shots} only when every subject has at least that many, otherwise all are kept, as SEA-HELM does.
     */
    static Map<String, List<EvalItem>> examplesBySubject(List<EvalItem> examples, int shots) {
        Map<String, List<EvalItem>> bySubject = new TreeMap<>();
        for (EvalItem example : examples) {
            bySubject.computeIfAbsent(lower(example.metadata().path("subject").asText("")), s -> new ArrayList<>()).add(example);
        }
        boolean enough = bySubject.values().stream().allMatch(list -> list.size() >= shots);
        if (enough) {
            bySubject.replaceAll((subject, list) -> first(list, shots));
        }
        return bySubject;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
