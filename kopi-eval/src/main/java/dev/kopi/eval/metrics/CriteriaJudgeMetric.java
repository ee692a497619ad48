package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.metrics.JudgeRequests.Question;
import dev.kopi.eval.prompt.PyFormat;

/**
 * LLM-judge scoring against per-item criteria (SEA-HELM's {@code CriteriaJudgeMetric}, used by kalahi-judge,
 * {@code MTBenchJudgeMetric} for mt-bench-judge and {@code LindseaJudgeMetric} for LINDSEA syntax-criteria). For
 * every criterion of an item the judge gets the task's system prompt and criteria prompt (the item's prompt, the
 * model's answer, the criterion and, when the criterion asks for it, the reference) and answers with
 * {@code <classification>CLASS_...</classification>}; the task's {@code classifications} map each class to a score
 * (unknown or missing: 0). An item scores the mean over its criteria (MT-Bench: the mean over turns of the per-turn
 * means; LINDSEA: the severity-weighted mean of its specific criteria times that of its generic ones).
 */
public final class CriteriaJudgeMetric implements TaskMetric {
    private static final Pattern CLASSIFICATION = Pattern.compile("<classification>\\s*(\\w+)\\s*</classification>",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** The SEA-HELM metric classes this implements; they differ in verdict parsing and in how criteria combine. */
    enum Kind {
        CRITERIA, MT_BENCH, LINDSEA;

        static Kind of(String metricClass) {
            return switch (metricClass) {
                case "MTBenchJudgeMetric" -> MT_BENCH;
                case "LindseaJudgeMetric" -> LINDSEA;
                default -> CRITERIA;
            };
        }

        /** SEA-HELM's CriteriaJudgeMetric takes the first classification; the other two take the last. */
        boolean lastClassification() {
            return this != CRITERIA;
        }
    }

    /** LINDSEA's severity weights; {@code generic} criteria are averaged apart. */
    private static final Map<String, Double> SEVERITY = Map.of("high", 10.0, "medium", 5.0, "low", 1.0);

    private final LanguageConfig language;
    private final Kind kind;
    private final JsonNode prompts;
    private final Map<String, Double> classifications = new HashMap<>();
    private final JudgeRequests requests;

    public CriteriaJudgeMetric(TaskConfig task, LanguageConfig language, Backend judge, JudgeLog log) {
        this.language = language;
        this.kind = Kind.of(task.metricClass());
        JsonNode settings = task.raw().path("judge");
        this.prompts = settings.path("judge_prompts");
        if (!prompts.path("system_prompt").isTextual() || prompts.path("criteria_prompt").isMissingNode()) {
            throw new EvalConfigException("task " + task.key() + ": judge.judge_prompts needs system_prompt and criteria_prompt");
        }
        settings.path("classifications").properties().forEach(e -> classifications.put(e.getKey(), e.getValue().asDouble()));
        this.requests = new JudgeRequests(judge, log, settings.path("judge_generation_kwargs"));
    }

    /** SEA-HELM's verdict parsing: the class in {@code <classification>} tags (the first or the last one), or null. */
    String classification(String verdict, boolean last) {
        Matcher matcher = CLASSIFICATION.matcher(verdict == null ? "" : verdict);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1).strip();
            if (!last) {
                break;
            }
        }
        return found;
    }

    double scoreOf(String classification) {
        return classification == null ? 0.0 : classifications.getOrDefault(classification, 0.0);
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) throws IOException, InterruptedException {
        Map<String, List<Question>> byItem = new LinkedHashMap<>();
        for (ItemResponse response : responses) {
            byItem.put(response.item().id(), questions(response));
        }
        Map<Question, Double> scores = requests.ask(byItem.values().stream().flatMap(List::stream).toList(),
                verdict -> scoreOf(classification(verdict, kind.lastClassification())));
        List<ItemScore> items = new ArrayList<>();
        double sum = 0;
        Map<String, double[]> categories = new LinkedHashMap<>();
        for (ItemResponse response : responses) {
            List<Question> questions = byItem.get(response.item().id());
            Map<String, Double> individual = new LinkedHashMap<>();
            double itemScore = switch (kind) {
                case MT_BENCH -> meanOfTurns(questions, scores);
                case CRITERIA -> questions.stream().mapToDouble(scores::get).average().orElse(0);
                case LINDSEA -> lindsea(response.item(), questions, scores, individual);
            };
            individual.put("average_criteria_score", itemScore);
            sum += itemScore;
            String category = response.item().metadata().path("category").asText("");
            double[] c = categories.computeIfAbsent(category, k -> new double[2]);
            c[0] += itemScore;
            c[1]++;
            items.add(new ItemScore(response.item().id(), response.first(), individual));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("average_criteria_score", 100 * sum / responses.size());
        double categoryScale = kind == Kind.LINDSEA ? 100 : 1;
        categories.forEach((category, c) -> {
            if (!category.isEmpty()) {
                metrics.put("category:" + category, categoryScale * c[0] / c[1]);
            }
        });
        return new TaskScore(metrics, items);
    }

    private static double meanOfTurns(List<Question> questions, Map<Question, Double> scores) {
        Map<Integer, List<Double>> perTurn = new java.util.TreeMap<>();
        for (Question q : questions) {
            perTurn.computeIfAbsent(q.turn(), t -> new ArrayList<>()).add(scores.get(q));
        }
        double turns = 0;
        for (int turn = 0; turn < 2; turn++) {
            turns += perTurn.getOrDefault(turn, List.of()).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }
        return turns / 2;
    }

    /**
     * LINDSEA's sentence score: the severity-weighted mean of the specific criteria (high 10, medium 5, low or
     * unknown 1) times the mean of the generic ones (0 when either kind is absent). SEA-HELM pairs the criteria, in
     * row order, with the verdicts sorted by their ids {@code criteria0, criteria1, ...} as strings, so an item with
     * more than ten criteria pairs {@code criteria10} with the third criterion; kopi pairs them the same way.
     */
    private static double lindsea(EvalItem item, List<Question> questions, Map<Question, Double> scores, Map<String, Double> individual) {
        List<Question> byId = questions.stream().sorted(java.util.Comparator.comparing(Question::tag)).toList();
        JsonNode criteria = item.row().path("criteria");
        double generic = 0;
        double genericWeight = 0;
        double specific = 0;
        double specificWeight = 0;
        for (int i = 0; i < byId.size(); i++) {
            String severity = PyText.lower(criteria.get(i).path("severity").asText(""));
            double score = scores.get(byId.get(i));
            if (severity.equals("generic")) {
                generic += score;
                genericWeight += 1;
            } else {
                double weight = SEVERITY.getOrDefault(severity, 1.0);
                specific += score * weight;
                specificWeight += weight;
            }
        }
        double genericScore = genericWeight > 0 ? generic / genericWeight : 0;
        double criteriaScore = specificWeight > 0 ? specific / specificWeight : 0;
        individual.put("generic_score", genericScore);
        individual.put("criteria_score", criteriaScore);
        return criteriaScore * genericScore;
    }

    private List<Question> questions(ItemResponse response) {
        EvalItem item = response.item();
        Map<String, String> firstTurn = values(item, 0);
        List<Question> questions = new ArrayList<>();
        JsonNode criteria = item.row().path("criteria");
        if (!criteria.isArray() || criteria.isEmpty()) {
            throw new EvalConfigException("item " + item.id() + " has no 'criteria' list for the judge");
        }
        String where = "judge prompt of item " + item.id();
        String taskTemplate = language.prompt().taskTemplate();
        for (JsonNode criterion : criteria) {
            String keyPoint = PyFormat.format(criterion.path("criterion").asText(), firstTurn, where);
            String user;
            int turn = criterion.path("turn").asInt(0);
            if (kind == Kind.MT_BENCH) {
                String transcript = "[User]\n" + PyFormat.format(taskTemplate, firstTurn, where);
                String answer = response.answers().get(0);
                if (turn > 0) {
                    transcript += "\n\n[Assistant (fixed)]\n" + response.answers().get(0) + "\n\n[User]\n"
                            + PyFormat.format(taskTemplate, values(item, 1), where);
                    answer = response.answers().get(1);
                }
                user = PyFormat.format(prompts.path("criteria_prompt").path("turn_" + (turn + 1)).asText(),
                        Map.of("transcript", transcript, "response", answer, "keyPointText", keyPoint), where);
            } else {
                String reference = "";
                if (criterion.path("include_reference").asBoolean(false)) {
                    reference = "\n" + PyFormat.format(prompts.path("reference_prompt").asText(),
                            Map.of("reference", item.label().isValueNode() ? item.label().asText() : item.label().toString()), where) + "\n";
                }
                user = PyFormat.format(prompts.path("criteria_prompt").asText(), Map.of(
                        "prompt", PyFormat.format(taskTemplate, firstTurn, where),
                        "response", response.first(),
                        "keyPointText", keyPoint,
                        "reference_text_block", reference), where);
            }
            questions.add(new Question(item.id(), turn, "criteria" + questions.size(), List.of(
                    new ChatMessage("system", prompts.path("system_prompt").asText()), ChatMessage.user(user))));
        }
        return questions;
    }

    private static Map<String, String> values(EvalItem item, int turn) {
        Map<String, String> values = new HashMap<>();
        item.prompts().get(turn).properties().forEach(e -> values.put(e.getKey(),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return values;
    }
}
