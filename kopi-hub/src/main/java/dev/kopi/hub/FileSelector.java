package dev.kopi.hub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Picks the files of a repository for a spec: the GGUF of a quant tag (with every part of a split GGUF), a named
 * file, or a whole safetensors repository (config, tokenizer and shards, without duplicate weight formats).
 */
public final class FileSelector {
    /** The quant an unqualified GGUF repository gives, as Ollama's default tags do: small and good. */
    public static final String DEFAULT_QUANT = "Q4_K_M";

    private static final Pattern SPLIT = Pattern.compile("(?i)(.*)-(\\d{5})-of-(\\d{5})\\.gguf");
    private static final Pattern QUANT = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])((?:I?Q|TQ)\\d(?:_[A-Z0-9]+)*|B?F16|F32|MXFP4(?:_MOE)?)(?![A-Za-z0-9])");
    private static final List<String> WHOLE_REPO_EXTENSIONS = List.of(".json", ".safetensors", ".txt", ".jinja");
    private static final List<String> OTHER_WEIGHT_EXTENSIONS = List.of(".bin", ".pt", ".pth");

    private FileSelector() {}

    /** The files for a selector (a quant tag, a file path or a glob; null for the repository's default). */
    public static FileSelection select(RepoId repo, List<String> paths, String selector) {
        if (selector != null) {
            for (String path : paths) {
                if (path.equals(selector)) {
                    return single(repo, paths, path);
                }
            }
            for (String path : paths) {
                if (path.equalsIgnoreCase(selector)) {
                    return single(repo, paths, path);
                }
            }
            if (selector.contains("*")) {
                Pattern glob = glob(selector);
                List<String> matched = paths.stream().filter(p -> glob.matcher(p).matches()).toList();
                if (matched.isEmpty()) {
                    throw new HubException(HubException.Kind.SELECTION, "no file of " + repo + " matches '" + selector + "'");
                }
                return new FileSelection(matched, null);
            }
        }
        Map<String, List<String>> groups = ggufGroups(paths);
        if (groups.isEmpty()) {
            if (selector != null) {
                throw new HubException(HubException.Kind.SELECTION, repo + " has no GGUF file and no file named '" + selector
                        + "'; leave out ':" + selector + "' to pull the whole repository");
            }
            return wholeRepository(repo, paths);
        }
        if (selector == null) {
            if (groups.size() == 1) {
                return group(groups.values().iterator().next());
            }
            List<List<String>> defaults = matches(groups, DEFAULT_QUANT);
            if (defaults.size() == 1) {
                return group(defaults.getFirst());
            }
            throw new HubException(HubException.Kind.SELECTION, repo + " has several GGUF files; pick one with "
                    + repo + ":QUANT, one of: " + String.join(", ", quantsOf(groups)));
        }
        List<List<String>> matched = matches(groups, selector);
        if (matched.size() == 1) {
            return group(matched.getFirst());
        }
        if (matched.isEmpty()) {
            throw new HubException(HubException.Kind.SELECTION, "no GGUF file of " + repo + " matches '" + selector
                    + "'; available: " + String.join(", ", quantsOf(groups)));
        }
        throw new HubException(HubException.Kind.SELECTION, "'" + selector + "' matches several files of " + repo + ": "
                + matched.stream().map(List::getFirst).collect(Collectors.joining(", "))
                + "; name the file instead, e.g. " + repo + ":" + matched.getFirst().getFirst());
    }

    /** The quant tag in a GGUF file name, such as {@code Q4_K_M}, or null. */
    public static String quantOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        Matcher split = SPLIT.matcher(name);
        String stem = split.matches() ? split.group(1) : name.replaceFirst("(?i)\\.gguf$", "");
        Matcher m = QUANT.matcher(stem);
        String last = null;
        while (m.find()) {
            last = m.group(1).toUpperCase(Locale.ROOT);
        }
        return last;
    }

    /** Whether a file is a GGUF that holds a model (not a vision projector). */
    static boolean isModelGguf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.endsWith(".gguf") && !name.contains("mmproj");
    }

    /** The first tier with any match wins: the exact quant tag, then the tag between separators, then a substring. */
    private static List<List<String>> matches(Map<String, List<String>> groups, String tag) {
        String upper = tag.toUpperCase(Locale.ROOT);
        Pattern bounded = Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(tag) + "(?![A-Za-z0-9_])");
        List<List<List<String>>> tiers = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (List<String> group : groups.values()) {
            String first = group.getFirst();
            String name = first.substring(first.lastIndexOf('/') + 1);
            if (upper.equals(quantOf(first))) {
                tiers.get(0).add(group);
            } else if (bounded.matcher(name).find()) {
                tiers.get(1).add(group);
            } else if (name.toUpperCase(Locale.ROOT).contains(upper)) {
                tiers.get(2).add(group);
            }
        }
        return tiers.stream().filter(t -> !t.isEmpty()).findFirst().orElse(List.of());
    }

    /** Model GGUFs grouped so that the parts of one split file form one group, in part order. */
    private static Map<String, List<String>> ggufGroups(List<String> paths) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String path : paths.stream().sorted().toList()) {
            if (!isModelGguf(path)) {
                continue;
            }
            Matcher split = SPLIT.matcher(path);
            String key = split.matches() ? split.group(1) + "-of-" + split.group(3) : path;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(path);
        }
        for (List<String> group : groups.values()) {
            Matcher split = SPLIT.matcher(group.getFirst());
            if (split.matches()) {
                int total = Integer.parseInt(split.group(3));
                if (group.size() != total) {
                    throw new HubException(HubException.Kind.SELECTION, "the split GGUF " + group.getFirst() + " has "
                            + group.size() + " of its " + total + " parts in the repository");
                }
            }
        }
        return groups;
    }

    private static FileSelection single(RepoId repo, List<String> paths, String path) {
        if (SPLIT.matcher(path).matches()) {
            Matcher split = SPLIT.matcher(path);
            split.matches();
            String key = split.group(1) + "-of-" + split.group(3);
            return group(ggufGroups(paths).get(key));
        }
        return new FileSelection(List.of(path), isModelGguf(path) ? path : null);
    }

    private static FileSelection group(List<String> parts) {
        return new FileSelection(parts, parts.getFirst());
    }

    private static List<String> quantsOf(Map<String, List<String>> groups) {
        TreeSet<String> quants = new TreeSet<>();
        for (List<String> group : groups.values()) {
            String quant = quantOf(group.getFirst());
            quants.add(quant != null ? quant : group.getFirst());
        }
        return List.copyOf(quants);
    }

    /**
     * A safetensors (or data set) repository whole: everything for models except weights in a second format when
     * safetensors exist; for data sets, every file.
     */
    private static FileSelection wholeRepository(RepoId repo, List<String> paths) {
        if (repo.type() == RepoType.DATASET) {
            return new FileSelection(paths, null);
        }
        boolean hasSafetensors = paths.stream().anyMatch(p -> p.endsWith(".safetensors"));
        List<String> chosen = new ArrayList<>();
        for (String path : paths) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            boolean wanted = name.equals("tokenizer.model")
                    || WHOLE_REPO_EXTENSIONS.stream().anyMatch(name::endsWith)
                    || !hasSafetensors && OTHER_WEIGHT_EXTENSIONS.stream().anyMatch(name::endsWith);
            if (wanted) {
                chosen.add(path);
            }
        }
        if (chosen.isEmpty()) {
            throw new HubException(HubException.Kind.SELECTION, repo + " has no GGUF, safetensors or config files to pull");
        }
        return new FileSelection(chosen, null);
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean deep = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                regex.append(deep ? ".*" : "[^/]*");
                i += deep ? 1 : 0;
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
