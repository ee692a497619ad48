package dev.kopi.eval.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.prompt.PyFormat;

/**
 * LLM-judge scoring against per-item criteria (SEA-HELM's {@code CriteriaJudgeMetric}, used by kalahi-judge and
 * syntax-criteria, and {@code MTBenchJudgeMetric} for mt-bench-judge). For every criterion of an item the judge gets
 * the task's system prompt and criteria prompt (the item's prompt, the model's answer, the criterion and, when the
 * criterion asks for it, the reference) and answers with {@code <classification>CLASS_...</classification>}; the
 * task's {@code classifications} map each class to a score (unknown or missing: 0). An item scores the mean over
 * its criteria (MT-Bench: the mean over turns of the per-turn means).
 */
public final class CriteriaJudgeMetric implements TaskMetric {
    private static final Pattern CLASSIFICATION = Pattern.compile("<classification>\\s*(\\w+)\\s*</classification>",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final LanguageConfig language;
    private final Backend judge;
    private final JudgeLog log;
    private final boolean mtBench;
    private final JsonNode prompts;
    private final Map<String, Double> classifications = new HashMap<>();
    private final int maxTokens;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public CriteriaJudgeMetric(TaskConfig task, LanguageConfig language, Backend judge, JudgeLog log) {
        this.language = language;
        this.judge = judge;
        this.log = log;
        this.mtBench = task.metricClass().equals("MTBenchJudgeMetric");
        JsonNode settings = task.raw().path("judge");
        this.prompts = settings.path("judge_prompts");
        if (!prompts.path("system_prompt").isTextual() || prompts.path("criteria_prompt").isMissingNode()) {
            throw new EvalConfigException("task " + task.key() + ": judge.judge_prompts needs system_prompt and criteria_prompt");
        }
        settings.path("classifications").properties().forEach(e -> classifications.put(e.getKey(), e.getValue().asDouble()));
        JsonNode generation = settings.path("judge_generation_kwargs");
        this.maxTokens = generation.path("max_tokens").asInt(16384);
        generation.properties().forEach(e -> {
            if (!e.getKey().equals("max_tokens")) {
                extra.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
            }
        });
    }

    /** SEA-HELM's verdict parsing: the class in {@code <classification>} tags (the last one for MT-Bench), or null. */
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

    private record Question(String itemId, int turn, List<ChatMessage> messages) {}

    @Override
    public TaskScore score(List<ItemResponse> responses) throws IOException, InterruptedException {
        Map<String, List<Question>> byItem = new LinkedHashMap<>();
        for (ItemResponse response : responses) {
            byItem.put(response.item().id(), questions(response));
        }
        Map<Question, Double> scores = judgeAll(byItem.values().stream().flatMap(List::stream).toList());
        List<ItemScore> items = new ArrayList<>();
        double sum = 0;
        Map<String, double[]> categories = new LinkedHashMap<>();
        for (ItemResponse response : responses) {
            Map<Integer, List<Double>> perTurn = new java.util.TreeMap<>();
            for (Question q : byItem.get(response.item().id())) {
                perTurn.computeIfAbsent(q.turn(), t -> new ArrayList<>()).add(scores.get(q));
            }
            double itemScore;
            if (mtBench) {
                double turns = 0;
                for (int turn = 0; turn < 2; turn++) {
                    List<Double> s = perTurn.getOrDefault(turn, List.of());
                    turns += s.isEmpty() ? 0 : s.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                }
                itemScore = turns / 2;
            } else {
                itemScore = perTurn.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).average().orElse(0);
            }
            sum += itemScore;
            String category = response.item().metadata().path("category").asText("");
            double[] c = categories.computeIfAbsent(category, k -> new double[2]);
            c[0] += itemScore;
            c[1]++;
            items.add(new ItemScore(response.item().id(), response.first(), Map.of("average_criteria_score", itemScore)));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("average_criteria_score", 100 * sum / responses.size());
        categories.forEach((category, c) -> {
            if (!category.isEmpty()) {
                metrics.put("category:" + category, c[0] / c[1]);
            }
        });
        return new TaskScore(metrics, items);
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
            if (mtBench) {
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
            questions.add(new Question(item.id(), turn, List.of(
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

    private Map<Question, Double> judgeAll(List<Question> questions) throws IOException, InterruptedException {
        Map<Question, Double> scores = new java.util.concurrent.ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(judge.concurrency());
        List<Future<?>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Question q : questions) {
                String key = q.messages().get(1).content();
                pending.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        scores.put(q, log.score(q.itemId(), key, () -> {
                            String verdict = judge.complete(new ChatRequest(q.messages(), maxTokens, List.of(), null, Map.of(), extra)).content();
                            return new JudgeLog.Verdict(scoreOf(classification(verdict, mtBench)), verdict);
                        }));
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : pending) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw new IOException("judge failed: " + io.getMessage() + "; verdicts so far are kept, run again to resume", io);
                    }
                    throw new IOException("judge failed: " + cause, cause);
                }
            }
        }
        return scores;
    }
}
