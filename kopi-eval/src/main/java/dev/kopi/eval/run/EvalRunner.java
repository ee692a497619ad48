package dev.kopi.eval.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.aggregate.Aggregator;
import dev.kopi.eval.aggregate.Scores;
import dev.kopi.eval.aggregate.TaskRuns;
import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.backend.ChatRequest;
import dev.kopi.eval.backend.Completion;
import dev.kopi.eval.backend.LogprobBackend;
import dev.kopi.eval.backend.RequestRejected;
import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.TaskConfig;
import dev.kopi.eval.config.TaskTree;
import dev.kopi.eval.data.DatasetLoader;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.data.TaskData;
import dev.kopi.eval.metrics.ItemResponse;
import dev.kopi.eval.metrics.ItemScore;
import dev.kopi.eval.metrics.MetricFactory;
import dev.kopi.eval.metrics.PyRegex;
import dev.kopi.eval.metrics.TaskScore;
import dev.kopi.eval.prompt.PromptBuilder;
import dev.kopi.eval.report.RunReport;

/**
 * Runs a SEA-HELM evaluation against a {@link Backend}: prompts every item of every selected task language, keeps
 * each answer in an append-only log the moment it arrives, scores each run with the task's metric, and aggregates the
 * runs with SEA-HELM's bootstrap. Running it again on the same output folder resumes: finished answers and
 * judgements are reused, never asked again.
 */
public final class EvalRunner {
    /** Default seed of the bootstrap resampling (SEA-HELM's aggregation notebook uses the same number). */
    public static final long BOOTSTRAP_SEED = 94370244L;

    private final EvalOptions options;
    private final Backend backend;
    private final TaskTree tree;
    private final MetricFactory metrics;
    private final DatasetLoader loader;
    private final String modelFileName;

    public EvalRunner(EvalOptions options, Backend backend) {
        this.options = options;
        this.backend = backend;
        this.tree = TaskTree.load(options.tasksDir());
        this.metrics = new MetricFactory(options.metricx(), options.judge());
        this.loader = new DatasetLoader(options.tasksDir(), options.hub());
        String model = backend.modelName();
        this.modelFileName = model.substring(model.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** One task language to run. */
    record Job(TaskConfig task, LanguageConfig language, List<EvalItem> items, PromptBuilder prompts) {
        String where() {
            return task.key() + " (" + language.language() + ")";
        }
    }

    /** What a finished evaluation produced. */
    public record Result(Scores scores, Map<String, String> skipped, Path outDir) {}

    public Result run() throws IOException, InterruptedException {
        Files.createDirectories(options.outDir());
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Job> jobs = plan(skipped);
        writeRunInfo(skipped);
        Progress progress = new Progress(options.progress());
        for (Job job : jobs) {
            int runs = job.task().maxRuns() > 0 ? Math.min(job.task().maxRuns(), options.runs()) : options.runs();
            progress.addTotal((long) runs * job.items().stream().mapToInt(EvalItem::turns).sum());
        }
        List<TaskRuns> taskRuns = new ArrayList<>();
        Map<Job, List<List<Double>>> scoresByJob = new LinkedHashMap<>();
        Map<Job, List<String>> labelsByJob = new HashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(backend.concurrency());
            for (int run = 0; run < options.runs(); run++) {
                ObjectNode runResults = JsonLines.JSON.createObjectNode();
                for (Job job : jobs) {
                    if (job.task().maxRuns() > 0 && run >= job.task().maxRuns()) {
                        continue;  // max_n_runs: log-probability tasks are deterministic and run once
                    }
                    Map<String, ItemResponse> answers = generate(job, run, pool, slots, progress);
                    TaskScore score = score(job, run, answers);
                    scoresByJob.computeIfAbsent(job, j -> new ArrayList<>()).add(aggregated(job, score));
                    labelsByJob.putIfAbsent(job, aggregatedLabels(job, score));
                    ObjectNode metricsNode = runResults.withObject(job.language().language())
                            .withObject(job.task().competency()).putObject(job.task().key());
                    score.metrics().forEach(metricsNode::put);
                }
                writeAtomically(runDir(run).resolve("results.json"), runResults);
            }
        } finally {
            progress.finish();
        }
        for (Job job : jobs) {
            // SEA-HELM's notebook draws right-or-wrong per item for tasks run once (use_logprobs defaults to true there)
            boolean probabilities = job.task().raw().path("use_logprobs").asBoolean(true) && job.task().maxRuns() == 1;
            taskRuns.add(new TaskRuns(job.language().language(), job.task().competency(), job.task().key(),
                    job.task().aggregationGroup(), scoresByJob.get(job), labelsByJob.get(job), probabilities));
        }
        Scores scores = Aggregator.seahelm(BOOTSTRAP_SEED).aggregate(taskRuns);
        writeAtomically(options.outDir().resolve("scores.json"), ScoresJson.write(scores, skipped, backend.modelName()));
        RunReport.write(options.outDir());
        return new Result(scores, skipped, options.outDir());
    }

    /** The values SEA-HELM's aggregation reads from one run's inference file: per item its score, or its per-turn scores. */
    private static List<Double> aggregated(Job job, TaskScore score) {
        List<Double> values = new ArrayList<>();
        for (ItemScore item : score.items()) {
            if (item.perTurn() == null) {
                values.add(primaryScore(job, item));
            } else {
                item.perTurn().forEach(v -> values.add(Double.isNaN(v) ? 0.0 : v));
            }
        }
        return values;
    }

    /**
     * The labels beside the aggregated values (for the multiple-choice test), or null when the items' labels are not
     * single strings or an item gives more than one value.
     */
    private static List<String> aggregatedLabels(Job job, TaskScore score) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < job.items().size(); i++) {
            EvalItem item = job.items().get(i);
            List<Double> perTurn = score.items().get(i).perTurn();
            if (!item.label().isValueNode() || perTurn != null && perTurn.size() > 1) {
                return null;
            }
            if (perTurn == null || perTurn.size() == 1) {
                labels.add(item.labelText());
            }
        }
        return labels;
    }

    private static double primaryScore(Job job, ItemScore score) {
        Double value = score.individualScores().get(job.task().metric());
        if (value == null) {
            value = score.individualScores().values().stream().findFirst().orElse(0.0);
        }
        return Double.isNaN(value) ? 0.0 : value;
    }

    private List<Job> plan(Map<String, String> skipped) {
        Map<String, List<String>> selection = options.suite() != null
                ? tree.suite(options.suite())
                : tree.selection(options.tasks(), options.languages());
        Set<String> baseSkip = options.baseModel() ? tree.baseModelSkipTasks() : Set.of();
        List<Job> jobs = new ArrayList<>();
        selection.forEach((lang, keys) -> {
            if (!options.languages().isEmpty() && !options.languages().contains(lang)) {
                return;
            }
            for (String key : keys) {
                String label = key + " (" + lang + ")";
                if (!tree.defines(key)) {
                    skipped.put(label, "named by the suite but not defined in the task tree");
                    continue;
                }
                TaskConfig task = tree.task(key);
                if (baseSkip.contains(key)) {
                    skipped.put(label, "skipped for base models (constants.yaml)");
                    continue;
                }
                var reason = task.useLogprobs() && !(backend instanceof LogprobBackend)
                        ? java.util.Optional.of("this backend cannot score log-probabilities")
                        : metrics.unsupported(task, lang);
                if (reason.isPresent()) {
                    skipped.put(label, reason.get());
                    continue;
                }
                jobs.add(job(task, task.language(lang)));
            }
        });
        if (jobs.isEmpty()) {
            throw new EvalConfigException("nothing to run: the selection has no task kopi can score" + (skipped.isEmpty() ? "" : " " + skipped));
        }
        return jobs;
    }

    private Job job(TaskConfig task, LanguageConfig language) {
        int shots = options.baseModel() ? task.fewshotBase() : task.fewshotInstruct();
        TaskData.Loaded data = TaskData.load(loader, task, language, shots);
        List<EvalItem> items = data.items();
        if (options.limit() > 0 && items.size() > options.limit()) {
            items = items.subList(0, options.limit());
        }
        Set<String> ids = new HashSet<>();
        for (EvalItem item : items) {
            if (!ids.add(item.id())) {
                throw new EvalConfigException("task " + task.key() + " (" + language.language() + "): duplicate item id " + item.id());
            }
        }
        String where = "task " + task.key() + " (" + language.language() + ")";
        return new Job(task, language, List.copyOf(items), new PromptBuilder(language, data.examples(), where));
    }

    private Path runDir(int run) {
        return options.outDir().resolve("run_" + run);
    }

    /** Generates every missing answer of the job's items for this run; returns all answers per item id. */
    private Map<String, ItemResponse> generate(Job job, int run, ExecutorService pool, Semaphore slots, Progress progress)
            throws IOException, InterruptedException {
        String lang = job.language().language();
        Path logFile = runDir(run).resolve("responses").resolve(lang).resolve(job.task().key() + ".jsonl");
        Map<String, Map<Integer, String>> answers = new HashMap<>();
        Map<String, Double> logprobs = new HashMap<>();
        try (AppendLog log = AppendLog.open(logFile)) {
            for (ObjectNode record : log.existing()) {
                answers.computeIfAbsent(record.path("id").asText(), k -> new HashMap<>())
                        .putIfAbsent(record.path("turn").asInt(), record.path("content").asText(""));
                logprobs.putIfAbsent(record.path("id").asText(), logprobOf(record));
            }
            int resumed = 0;
            for (EvalItem item : job.items()) {
                Map<Integer, String> done = answers.getOrDefault(item.id(), Map.of());
                for (int turn = 1; turn <= item.turns(); turn++) {
                    if (done.containsKey(turn)) {
                        resumed++;
                    }
                }
            }
            progress.resumed(resumed);
            int maxTurns = job.items().stream().mapToInt(EvalItem::turns).max().orElse(0);
            for (int turn = 1; turn <= maxTurns; turn++) {
                List<Future<?>> pending = new ArrayList<>();
                for (EvalItem item : job.items()) {
                    Map<Integer, String> done = answers.computeIfAbsent(item.id(), k -> new HashMap<>());
                    if (turn > item.turns() || done.containsKey(turn)) {
                        continue;
                    }
                    List<String> previous = new ArrayList<>();
                    for (int t = 1; t < turn; t++) {
                        previous.add(done.get(t));
                    }
                    ChatRequest request = request(job, job.prompts().conversation(item, turn, previous), run);
                    int thisTurn = turn;
                    pending.add(pool.submit(() -> {
                        slots.acquire();
                        try {
                            ObjectNode record = job.task().useLogprobs() ? askLogprob(job, request, item, log) : ask(request, item.id(), thisTurn, log);
                            synchronized (answers) {
                                done.put(thisTurn, record.path("content").asText());
                                logprobs.put(item.id(), logprobOf(record));
                            }
                            progress.step();
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
                }
                awaitAll(pending, job, logFile);
            }
        }
        Map<String, ItemResponse> byItem = new LinkedHashMap<>();
        for (EvalItem item : job.items()) {
            Map<Integer, String> done = answers.get(item.id());
            List<String> turns = new ArrayList<>();
            for (int t = 1; t <= item.turns(); t++) {
                turns.add(done.get(t));
            }
            byItem.put(item.id(), new ItemResponse(item, turns, logprobs.getOrDefault(item.id(), Double.NaN)));
        }
        return byItem;
    }

    private static double logprobOf(ObjectNode record) {
        JsonNode logprob = record.get("logprob");
        return logprob == null || !logprob.isNumber() ? Double.NaN : logprob.asDouble();
    }

    /**
     * SEA-HELM's log-probability strategy for one item: the answer up to the tag, then the log-probability of
     * {@code answer_tag_separator + label} after it. The record's content is the answer with the label appended
     * when it was scored, as SEA-HELM stores it.
     */
    private ObjectNode askLogprob(Job job, ChatRequest request, EvalItem item, AppendLog log) throws IOException, InterruptedException {
        ObjectNode record = JsonLines.JSON.createObjectNode();
        record.put("id", item.id());
        record.put("turn", 1);
        String tag = job.language().prompt().answerTag();
        String continuation = answerTagSeparator(job.language()) + item.labelText();
        try {
            LogprobBackend.LabelScore score = ((LogprobBackend) backend).scoreLabel(request, tag, continuation);
            record.put("content", score.scored() ? score.answer() + continuation : score.answer());
            record.put("finish_reason", score.finishReason());
            if (score.scored()) {
                record.put("logprob", score.logprob());
                record.put("logprob_tokens", score.tokens());
            }
        } catch (RequestRejected e) {
            record.put("content", "");
            record.put("error", e.getMessage());
        }
        record.put("time", Instant.now().toString());
        log.append(record);
        return record;
    }

    /**
     * SEA-HELM's {@code answer_tag_separator}: what the answer template puts between {@code {answer_tag}} and
     * {@code {label}}, else the prompt template's {@code answer_tag_separator}, else a space.
     */
    static String answerTagSeparator(LanguageConfig language) {
        java.util.regex.Matcher m = PyRegex.compile("(?<={answer_tag})(.*)(?={label})", false, false)
                .matcher(language.prompt().answerTemplate());
        if (m.find()) {
            return m.group(1);
        }
        return language.raw().path("prompt_template").path("answer_tag_separator").asText(" ");
    }

    private ChatRequest request(Job job, List<ChatMessage> conversation, int run) {
        int maxTokens = job.language().maxTokens() > 0 ? job.language().maxTokens() : 256;
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (options.thinking() != null) {
            kwargs.put("enable_thinking", options.thinking());
            if (options.thinking()) {
                maxTokens += options.maxThinkTokens();
            }
        }
        List<String> stop = options.baseModel() ? tree.fewShotStopTokens() : List.of();
        return new ChatRequest(conversation, maxTokens, stop, options.seed() + run, kwargs);
    }

    /** Asks the backend and records the answer; a request the endpoint rejects is recorded as an empty answer. */
    private ObjectNode ask(ChatRequest request, String id, int turn, AppendLog log) throws IOException, InterruptedException {
        ObjectNode record = JsonLines.JSON.createObjectNode();
        record.put("id", id);
        record.put("turn", turn);
        try {
            Completion completion = backend.complete(request);
            record.put("content", completion.content());
            record.put("reasoning", completion.reasoning());
            record.put("finish_reason", completion.finishReason());
            record.put("prompt_tokens", completion.promptTokens());
            record.put("completion_tokens", completion.completionTokens());
        } catch (RequestRejected e) {
            record.put("content", "");
            record.put("error", e.getMessage());
        }
        record.put("time", Instant.now().toString());
        log.append(record);
        return record;
    }

    private static void awaitAll(List<Future<?>> pending, Job job, Path logFile) throws InterruptedException {
        int failed = 0;
        Throwable first = null;
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                if (first == null) {
                    first = e.getCause();
                }
            }
        }
        if (failed > 0) {
            throw new EvalConfigException(failed + " requests of " + job.where() + " failed (first: " + first.getMessage()
                    + "); finished answers are kept in " + logFile + "; run the same command again to resume", first);
        }
    }

    private TaskScore score(Job job, int run, Map<String, ItemResponse> answers) throws IOException, InterruptedException {
        String lang = job.language().language();
        Path judgeFile = runDir(run).resolve("judgements").resolve(lang).resolve(job.task().key() + ".jsonl");
        List<ItemResponse> responses = new ArrayList<>();
        for (EvalItem item : job.items()) {
            responses.add(answers.get(item.id()));
        }
        TaskScore score;
        try (StoredJudgements judgements = StoredJudgements.open(judgeFile)) {
            score = metrics.create(job.task(), job.language(), judgements).score(responses);
        }
        writeInferences(job, run, answers, score);
        return score;
    }

    /** The per-item file SEA-HELM's aggregation reads: each item with its answers and individual scores. */
    private void writeInferences(Job job, int run, Map<String, ItemResponse> answers, TaskScore score) throws IOException {
        String lang = job.language().language();
        Path file = runDir(run).resolve("inferences").resolve(lang).resolve(job.task().storageFolder())
                .resolve(modelFileName + "_" + job.task().key() + "_" + lang + ".jsonl");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < job.items().size(); i++) {
            EvalItem item = job.items().get(i);
            ItemScore itemScore = score.items().get(i);
            ObjectNode row = item.row().deepCopy();
            ArrayNode responses = row.putArray("responses");
            answers.get(item.id()).answers().forEach(responses::add);
            row.put("cleaned_response", itemScore.prediction());
            ObjectNode individual = row.putObject("individual_scores");
            if (itemScore.perTurn() != null && itemScore.perTurn().size() > 1) {
                ArrayNode turns = individual.putArray(job.task().metric());
                itemScore.perTurn().forEach(turns::add);
            } else {
                putScore(individual, job.task().metric(), itemScore.individualScores().getOrDefault(job.task().metric(), primaryScore(job, itemScore)));
            }
            itemScore.individualScores().forEach((k, v) -> {
                if (!k.equals(job.task().metric())) {
                    putScore(individual, k, v);
                }
            });
            out.append(JsonLines.JSON.writeValueAsString(row)).append('\n');
        }
        writeAtomically(file, out.toString());
    }

    /** A score as SEA-HELM's pandas writes it: NaN (an item it does not score) becomes null. */
    private static void putScore(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private void writeRunInfo(Map<String, String> skipped) throws IOException {
        Path file = options.outDir().resolve("run.json");
        if (Files.exists(file)) {
            JsonNode existing = JsonLines.JSON.readTree(file.toFile());
            String model = existing.path("model").asText();
            if (!model.equals(backend.modelName())) {
                throw new EvalConfigException(options.outDir() + " holds a run of model " + model + ", not " + backend.modelName()
                        + "; choose another output folder");
            }
        }
        ObjectNode info = JsonLines.JSON.createObjectNode();
        info.put("model", backend.modelName());
        info.put("suite", options.suite());
        info.putPOJO("tasks", options.tasks());
        info.putPOJO("languages", options.languages());
        info.put("runs", options.runs());
        info.put("seed", options.seed());
        info.put("base_model", options.baseModel());
        if (options.thinking() != null) {
            info.put("thinking", options.thinking());
        }
        info.put("limit", options.limit());
        info.putPOJO("skipped", skipped);
        writeAtomically(file, info);
    }

    static void writeAtomically(Path file, Object content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (content instanceof String text) {
                Files.writeString(temp, text);
            } else {
                JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), content);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
