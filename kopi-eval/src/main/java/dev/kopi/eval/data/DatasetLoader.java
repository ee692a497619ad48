package dev.kopi.eval.data;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.kopi.eval.config.EvalConfigException;

/**
 * Loads the items of one task language the way SEA-HELM's dataloaders do: a {@code filepath} that names a local
 * file is read whole (JSONL or parquet); anything else is a Hugging Face dataset id whose config is the language
 * code, read from its {@code eval} split (items) or {@code examples} split (few-shot examples).
 */
public final class DatasetLoader {
    public static final String EVAL_SPLIT = "eval";
    public static final String EXAMPLES_SPLIT = "examples";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path baseDir;
    private final DatasetFiles hub;

    /**
     * @param baseDir relative local file paths are looked up here first (SEA-HELM resolves them from its checkout)
     * @param hub     access to Hugging Face datasets, or null when only local files are allowed
     */
    public DatasetLoader(Path baseDir, DatasetFiles hub) {
        this.baseDir = baseDir;
        this.hub = hub;
    }

    /** The items of {@code filepath} for {@code config}'s {@code split} (the config is the language for most tasks). */
    public List<EvalItem> load(String filepath, String config, String split) {
        Rows rows = rows(filepath, config, split);
        List<EvalItem> items = new ArrayList<>(rows.rows().size());
        for (int i = 0; i < rows.rows().size(); i++) {
            items.add(EvalItem.of(rows.rows().get(i), rows.source() + " row " + (i + 1)));
        }
        return items;
    }

    /** A dataset's raw rows and where they came from (for error messages). */
    public record Rows(List<ObjectNode> rows, String source) {}

    /** The raw rows of {@code filepath} for {@code config}'s {@code split}, for loaders that build items themselves. */
    public Rows rows(String filepath, String config, String split) {
        if (filepath == null || filepath.isBlank()) {
            throw new EvalConfigException("no filepath for " + config);
        }
        Path local = localFile(filepath);
        if (local != null) {
            return new Rows(readFile(local), local.toString());
        }
        if (hub == null) {
            throw new EvalConfigException(filepath + " is neither a local file nor reachable: no Hugging Face access configured");
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (String file : hubFiles(filepath, config, split)) {
            try {
                rows.addAll(readFile(hub.fetch(filepath, file)));
            } catch (IOException e) {
                throw new EvalConfigException("cannot fetch " + filepath + "/" + file + ": " + e.getMessage(), e);
            }
        }
        return new Rows(rows, filepath + " (" + config + ", " + split + ")");
    }

    private Path localFile(String filepath) {
        if (!looksLikeFile(filepath)) {
            return null;
        }
        for (Path candidate : List.of(Path.of(filepath), baseDir.resolve(filepath))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        for (Path parent = baseDir.getParent(); parent != null; parent = parent.getParent()) {
            Path candidate = parent.resolve(filepath);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EvalConfigException("data file " + filepath + " not found (looked in the working directory and above " + baseDir + ")");
    }

    private static boolean looksLikeFile(String filepath) {
        String lower = filepath.toLowerCase();
        return lower.endsWith(".jsonl") || lower.endsWith(".json") || lower.endsWith(".parquet") || filepath.startsWith("/")
                || filepath.startsWith("./");
    }

    static List<ObjectNode> readFile(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".parquet")) {
            return ParquetRows.read(file);
        }
        return JsonLines.read(file);
    }

    private List<String> hubFiles(String dataset, String lang, String split) {
        List<String> all;
        try {
            all = hub.list(dataset);
        } catch (IOException e) {
            throw new EvalConfigException("cannot list dataset " + dataset + ": " + e.getMessage(), e);
        }
        List<String> patterns = declaredPatterns(dataset, all, lang, split);
        if (patterns.isEmpty()) {
            patterns = List.of(lang + "/" + split + "*", "data/" + lang + "/" + split + "*", lang + "/" + split + "/*",
                    lang + "-" + split + "*", lang + "_" + split + "*");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String pattern : patterns) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            all.stream().filter(f -> isData(f) && matcher.matches(Path.of(f))).sorted().forEach(chosen::add);
        }
        if (chosen.isEmpty()) {
            throw new EvalConfigException("dataset " + dataset + " has no '" + split + "' split for config '" + lang + "'");
        }
        return List.copyOf(chosen);
    }

    private static boolean isData(String file) {
        String lower = file.toLowerCase();
        return lower.endsWith(".parquet") || lower.endsWith(".jsonl") || lower.endsWith(".json");
    }

    /** The data_files patterns that the dataset card's YAML header declares for the config and split. */
    private List<String> declaredPatterns(String dataset, List<String> files, String lang, String split) {
        if (!files.contains("README.md")) {
            return List.of();
        }
        String card;
        try {
            card = Files.readString(hub.fetch(dataset, "README.md"));
        } catch (IOException e) {
            throw new EvalConfigException("cannot read the card of " + dataset + ": " + e.getMessage(), e);
        }
        if (!card.startsWith("---")) {
            return List.of();
        }
        int end = card.indexOf("\n---", 3);
        if (end < 0) {
            return List.of();
        }
        JsonNode header;
        try {
            header = YAML.readTree(card.substring(3, end));
        } catch (IOException e) {
            throw new EvalConfigException(dataset + " README.md: unreadable YAML header", e);
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode config : header.path("configs")) {
            if (!lang.equals(config.path("config_name").asText())) {
                continue;
            }
            for (JsonNode dataFiles : config.path("data_files")) {
                if (split.equals(dataFiles.path("split").asText())) {
                    JsonNode path = dataFiles.path("path");
                    if (path.isArray()) {
                        path.forEach(p -> patterns.add(p.asText()));
                    } else {
                        patterns.add(path.asText());
                    }
                }
            }
        }
        return patterns;
    }
}
