package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.metrics.JudgeRequests.Question;
import dev.kopi.eval.prompt.PyFormat;

/**
 * MT-Bench's pairwise judge (SEA-HELM's {@code PairwiseLLMJudgeMetric}): for every turn the judge compares the
 * model's conversation with the baseline model's answers stored in the dataset ({@code baselines[baseline_model]}),
 * twice, once with the baseline as assistant A and once as assistant B, using the task's per-turn prompts
 * ({@code with-reference} ones, carrying the item's {@code references}, for {@code categories_with_reference}). A
 * verdict names exactly one of the {@code judgement_labels} ({@code [[A]]}, {@code [[B]]}, {@code [[C]]} for a tie)
 * or it is an error. The turn's outcome is the common verdict of both orders; if they differ, or the first is a tie,
 * it is a tie (without ties allowed: an error). A win scores 1, a tie 0.5, a loss or error 0; the task score is the
 * mean over categories of each category's win rate.
 */
public final class PairwiseJudgeMetric implements TaskMetric {
    public static final String METRIC = "weighted_win_rate";

    /** The outcome for the evaluated model, stored in the judgement log as its score. */
    enum Outcome {
        WIN(1), LOSE(0), TIE(0.5), ERROR(-1);

        final double code;

        Outcome(double code) {
            this.code = code;
        }

        static Outcome of(double code) {
            for (Outcome o : values()) {
                if (o.code == code) {
                    return o;
                }
            }
            throw new IllegalArgumentException("no judgement outcome " + code);
        }

        double score() {
            return this == WIN ? 1 : this == TIE ? 0.5 : 0;
        }
    }

    /** The two orders in which the answers are shown, in SEA-HELM's order. */
    private static final String BASELINE_BEFORE = "baseline-before";
    private static final String BASELINE_AFTER = "baseline-after";

    private final String taskKey;
    private final JsonNode prompts;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final boolean tiesAllowed;
    private final String baselineModel;
    private final List<String> categoriesWithReference = new ArrayList<>();
    private final JudgeRequests requests;

    public PairwiseJudgeMetric(TaskConfig task, Backend judge, JudgeLog log) {
        this.taskKey = task.key();
        JsonNode raw = task.raw();
        this.prompts = raw.path("judge").path("judge_prompts");
        if (!prompts.path("without-reference").isArray()) {
            throw new EvalConfigException("task " + taskKey + ": judge.judge_prompts needs a 'without-reference' list of per-turn prompts");
        }
        raw.path("judgement_labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        this.tiesAllowed = raw.path("ties_allowed").asBoolean(true);
        if (!labels.containsKey("A_wins") || !labels.containsKey("B_wins") || tiesAllowed && !labels.containsKey("Tie")) {
            throw new EvalConfigException("task " + taskKey + ": judgement_labels needs A_wins, B_wins" + (tiesAllowed ? " and Tie" : ""));
        }
        this.baselineModel = raw.path("baseline_model").asText("");
        if (baselineModel.isEmpty()) {
            throw new EvalConfigException("task " + taskKey + ": missing 'baseline_model'");
        }
        raw.path("categories_with_reference").forEach(c -> categoriesWithReference.add(c.asText()));
        this.requests = new JudgeRequests(judge, log, raw.path("judge").path("judge_generation_kwargs"));
    }

    /** SEA-HELM's verdict parsing: exactly one label must occur in the verdict; {@code reversed} when the baseline is A. */
    Outcome parse(String verdict, boolean reversed) {
        String text = verdict == null ? "" : verdict;
        boolean a = text.contains(labels.get("A_wins"));
        boolean b = text.contains(labels.get("B_wins"));
        boolean tie = tiesAllowed && text.contains(labels.get("Tie"));
        if ((a ? 1 : 0) + (b ? 1 : 0) + (tie ? 1 : 0) != 1) {
            return Outcome.ERROR;
        }
        if (tie) {
            return Outcome.TIE;
        }
        return a != reversed ? Outcome.WIN : Outcome.LOSE;
    }

    /** The turn's outcome from the baseline-before and baseline-after verdicts. */
    Outcome combine(Outcome first, Outcome second) {
        if (tiesAllowed) {
            return first == Outcome.TIE || first != second ? Outcome.TIE : first;
        }
        return first != second ? Outcome.ERROR : first;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) throws IOException, InterruptedException {
        List<Question> questions = new ArrayList<>();
        for (ItemResponse response : responses) {
            questions.addAll(questions(response));
        }
        // the log keeps each verdict as shown (A or B wins); the order of the answers is applied below
        Map<Question, Double> verdicts = requests.ask(questions, verdict -> parse(verdict, false).code);
        Map<String, Outcome> byKey = new HashMap<>();
        for (Question q : questions) {
            Outcome asShown = Outcome.of(verdicts.get(q));
            byKey.put(q.itemId() + "\u0000" + q.turn() + "\u0000" + q.tag(), flip(asShown, q.tag().equals(BASELINE_BEFORE)));
        }
        List<ItemScore> items = new ArrayList<>();
        Map<String, double[]> categories = new LinkedHashMap<>();
        double[] all = new double[2];
        for (ItemResponse response : responses) {
            EvalItem item = response.item();
            List<Double> turns = new ArrayList<>();
            for (int turn = 0; turn < response.answers().size(); turn++) {
                String key = item.id() + "\u0000" + turn + "\u0000";
                Outcome outcome = combine(byKey.get(key + BASELINE_BEFORE), byKey.get(key + BASELINE_AFTER));
                turns.add(outcome.score());
            }
            String category = item.metadata().path("category").asText("");
            double[] c = categories.computeIfAbsent(category, k -> new double[2]);
            for (double s : turns) {
                c[0] += s;
                c[1]++;
                all[0] += s;
                all[1]++;
            }
            double mean = turns.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            items.add(new ItemScore(item.id(), response.first(), Map.of(METRIC, mean), turns));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        double categoryMean = 0;
        for (Map.Entry<String, double[]> e : categories.entrySet()) {
            double rate = e.getValue()[0] / e.getValue()[1];
            metrics.put("category:" + e.getKey(), rate);
            categoryMean += rate;
        }
        metrics.put("win_rate", all[1] == 0 ? 0 : all[0] / all[1]);
        metrics.put(METRIC, categories.isEmpty() ? 0 : 100 * categoryMean / categories.size());
        return new TaskScore(metrics, items);
    }

    /** The outcome for the evaluated model when the baseline was shown first (as assistant A). */
    private static Outcome flip(Outcome asShown, boolean baselineFirst) {
        if (!baselineFirst) {
            return asShown;
        }
        return switch (asShown) {
            case WIN -> Outcome.LOSE;
            case LOSE -> Outcome.WIN;
            default -> asShown;
        };
    }

    /** Both orders of every turn, as SEA-HELM's pairwise data loader builds them. */
    private List<Question> questions(ItemResponse response) {
        EvalItem item = response.item();
        JsonNode row = item.row();
        JsonNode baselines = row.path("baselines").path(baselineModel);
        if (!baselines.isArray() || baselines.size() < response.answers().size()) {
            throw new EvalConfigException("item " + item.id() + " of " + taskKey + " has no answers of baseline model " + baselineModel);
        }
        boolean withReference = categoriesWithReference.contains(item.metadata().path("category").asText(""));
        JsonNode turnPrompts = prompts.path(withReference ? "with-reference" : "without-reference");
        JsonNode references = row.path("references");
        String where = "judge prompt of " + taskKey + " item " + item.id();
        List<Question> questions = new ArrayList<>();
        for (int turn = 0; turn < response.answers().size(); turn++) {
            JsonNode prompt = turnPrompts.path(turn);
            if (!prompt.path("prompt_template").isTextual()) {
                throw new EvalConfigException("task " + taskKey + ": no judge prompt for turn " + (turn + 1));
            }
            for (String order : List.of(BASELINE_BEFORE, BASELINE_AFTER)) {
                Map<String, String> values = new HashMap<>();
                for (int i = 0; i <= turn; i++) {
                    String answer = response.answers().get(i);
                    String baseline = text(baselines.get(i));
                    values.put("question_" + (i + 1), text(item.prompts().get(i).path("text")));
                    values.put("answer_a_" + (i + 1), order.equals(BASELINE_AFTER) ? answer : baseline);
                    values.put("answer_b_" + (i + 1), order.equals(BASELINE_AFTER) ? baseline : answer);
                    if (withReference) {
                        values.put("ref_answer_" + (i + 1), text(references.path(i)));
                    }
                }
                List<ChatMessage> messages = List.of(
                        new ChatMessage("system", PyFormat.format(prompt.path("system_prompt").asText(""), labels, where)),
                        ChatMessage.user(PyFormat.format(prompt.path("prompt_template").asText(), values, where)));
                questions.add(new Question(item.id(), turn, order, messages));
            }
        }
        return questions;
    }

    /** A value as Python's {@code str.format} prints it: null as {@code None}. */
    private static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? "None" : value.isValueNode() ? value.asText() : value.toString();
    }
}
