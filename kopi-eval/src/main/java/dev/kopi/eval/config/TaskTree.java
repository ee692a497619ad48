package dev.kopi.eval.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A SEA-HELM task tree: every {@code config.yaml} below a folder, merged and interpolated, plus the suites of
 * {@code task_config.yaml} and the settings of {@code constants.yaml}. The schema is SEA-HELM's; kopi reads the tree
 * the user points it at and ships none of SEA-HELM's files.
 */
public final class TaskTree {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path root;
    private final Map<String, TaskConfig> tasks;
    private final JsonNode suites;
    private final JsonNode constants;

    private TaskTree(Path root, Map<String, TaskConfig> tasks, JsonNode suites, JsonNode constants) {
        this.root = root;
        this.tasks = tasks;
        this.suites = suites;
        this.constants = constants;
    }

    /** Loads the task tree below {@code dir}. */
    public static TaskTree load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new EvalConfigException("tasks dir " + dir + " is not a directory");
        }
        ObjectNode merged = YAML.createObjectNode();
        List<Path> configs;
        try (Stream<Path> walk = Files.walk(dir)) {
            configs = walk.filter(p -> p.getFileName().toString().equals("config.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new EvalConfigException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (configs.isEmpty()) {
            throw new EvalConfigException("no config.yaml below " + dir);
        }
        for (Path file : configs) {
            JsonNode node = readYaml(file);
            if (!(node instanceof ObjectNode object)) {
                throw new EvalConfigException(file + ": expected a mapping of task names to task settings");
            }
            object.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
        }
        Interpolation.resolveAll(merged);
        Map<String, TaskConfig> tasks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = merged.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            tasks.put(entry.getKey(), TaskParser.parse(entry.getKey(), entry.getValue()));
        }
        Path suitesFile = dir.resolve("task_config.yaml");
        JsonNode suites = Files.exists(suitesFile) ? readYaml(suitesFile) : YAML.createObjectNode();
        Path constantsFile = dir.resolve("constants.yaml");
        JsonNode constants = Files.exists(constantsFile) ? readYaml(constantsFile) : YAML.createObjectNode();
        return new TaskTree(dir, tasks, suites, constants);
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode node = YAML.readTree(file.toFile());
            return node == null || node.isMissingNode() ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw new EvalConfigException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public Path root() {
        return root;
    }

    public Map<String, TaskConfig> tasks() {
        return tasks;
    }

    /** The task with this key, or an error listing the known ones. */
    public TaskConfig task(String key) {
        TaskConfig task = tasks.get(key);
        if (task == null) {
            throw new EvalConfigException("unknown task " + key + " (known: " + String.join(", ", tasks.keySet()) + ")");
        }
        return task;
    }

    /** The suite names of {@code task_config.yaml}. */
    public List<String> suiteNames() {
        List<String> names = new ArrayList<>();
        suites.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The tasks of a suite, per language, in the suite's order. As in SEA-HELM, {@code all} stands for every task that
     * has the language, and a name that is an aggregation group stands for all tasks of that group.
     */
    public Map<String, List<String>> suite(String name) {
        JsonNode suite = suites.get(name);
        if (suite == null || !suite.isObject()) {
            throw new EvalConfigException("unknown suite " + name + " (task_config.yaml has: " + String.join(", ", suiteNames()) + ")");
        }
        Map<String, List<String>> byLanguage = new LinkedHashMap<>();
        suite.properties().forEach(entry -> {
            String lang = entry.getKey();
            JsonNode list = entry.getValue();
            Set<String> keys = new LinkedHashSet<>();
            if (list.isTextual()) {
                if (!list.asText().equals("all")) {
                    throw new EvalConfigException("suite " + name + " language " + lang + ": the only string allowed is 'all'");
                }
                tasks.values().stream().filter(t -> t.languages().containsKey(lang)).forEach(t -> keys.add(t.key()));
            } else {
                // SEA-HELM's own suites name tasks its tree lacks (seahelm_logprobs: global_mmlu_lite-logprobs);
                // they stay in the list and the runner reports them as skipped instead of refusing the suite
                list.forEach(item -> keys.addAll(defines(item.asText()) ? expand(item.asText()) : List.of(item.asText())));
            }
            byLanguage.put(lang, List.copyOf(keys));
        });
        return byLanguage;
    }

    /** Task keys for a comma-separated {@code --tasks} list, for every language each task has. */
    public Map<String, List<String>> selection(List<String> keys, List<String> languages) {
        Map<String, List<String>> byLanguage = new LinkedHashMap<>();
        for (String key : keys) {
            for (String taskKey : expand(key)) {
                for (String lang : task(taskKey).languages().keySet()) {
                    if (languages.isEmpty() || languages.contains(lang)) {
                        byLanguage.computeIfAbsent(lang, l -> new ArrayList<>()).add(taskKey);
                    }
                }
            }
        }
        return byLanguage;
    }

    /** Whether {@code key} names a task or an aggregation group of this tree. */
    public boolean defines(String key) {
        return tasks.containsKey(key) || tasks.values().stream().anyMatch(t -> key.equals(t.aggregationGroup()));
    }

    private List<String> expand(String key) {
        if (tasks.containsKey(key)) {
            return List.of(key);
        }
        List<String> group = tasks.values().stream().filter(t -> key.equals(t.aggregationGroup())).map(TaskConfig::key).toList();
        if (group.isEmpty()) {
            task(key); // throws, naming the known tasks
        }
        return group;
    }

    /** Tasks SEA-HELM skips for base models ({@code constants.yaml: base_models_skip_tasks}). */
    public Set<String> baseModelSkipTasks() {
        Set<String> skip = new LinkedHashSet<>();
        constants.path("base_models_skip_tasks").forEach(n -> skip.add(n.asText()));
        return skip;
    }

    /** Stop strings for few-shot (base model) generation ({@code constants.yaml: few_shot_stop_tokens}). */
    public List<String> fewShotStopTokens() {
        List<String> stops = new ArrayList<>();
        constants.path("few_shot_stop_tokens").forEach(n -> stops.add(n.asText()));
        return stops.isEmpty() ? List.of("\n\n") : stops;
    }
}
