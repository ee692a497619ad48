package dev.kopi.hub;

import java.util.List;

/**
 * The files of a repository to fetch for a spec.
 *
 * @param paths   the files, in repository order
 * @param primary the file a runtime opens (a GGUF, or the first part of a split GGUF); null when the selection
 *                is a whole folder (safetensors, data sets)
 */
public record FileSelection(List<String> paths, String primary) {
    public FileSelection {
        paths = List.copyOf(paths);
    }
}
