package dev.kopi.hub;

import java.util.regex.Pattern;

/**
 * A repository on the hub, such as the model {@code aisingapore/Gemma-SEA-LION-v4-27B-IT-GGUF} or a data set.
 *
 * @param type model or data set
 * @param name {@code org/name} (or a bare {@code name} for the hub's few legacy repositories)
 */
public record RepoId(RepoType type, String name) {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*");

    public RepoId {
        if (type == null) {
            throw new IllegalArgumentException("repository type is missing");
        }
        if (name == null || !NAME.matcher(name).matches() || name.contains("..") || name.contains("--")) {
            throw new IllegalArgumentException("'" + name + "' is not a repository name: expected org/name, "
                    + "e.g. aisingapore/Gemma-SEA-LION-v4-27B-IT-GGUF");
        }
    }

    public static RepoId model(String name) {
        return new RepoId(RepoType.MODEL, name);
    }

    public static RepoId dataset(String name) {
        return new RepoId(RepoType.DATASET, name);
    }

    /** The folder name in the hub cache, as huggingface_hub spells it: {@code models--org--name}. */
    public String cacheFolderName() {
        return type.plural() + "--" + name.replace("/", "--");
    }

    /** The repository named by a cache folder, or null when the folder is not one. */
    public static RepoId fromCacheFolderName(String folder) {
        for (RepoType t : RepoType.values()) {
            String prefix = t.plural() + "--";
            if (folder.startsWith(prefix) && folder.length() > prefix.length()) {
                try {
                    return new RepoId(t, folder.substring(prefix.length()).replace("--", "/"));
                } catch (IllegalArgumentException notARepository) {
                    return null;
                }
            }
        }
        return null;
    }

    /** How users write it: {@code org/name} for models, {@code datasets/org/name} for data sets. */
    @Override
    public String toString() {
        return type.urlPrefix() + name;
    }
}
