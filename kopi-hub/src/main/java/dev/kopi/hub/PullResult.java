package dev.kopi.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * Files of a repository, present and verified in the cache.
 *
 * @param repo     the repository
 * @param commit   the commit they belong to
 * @param snapshot {@code snapshots/<commit>}: a folder a runtime can open like a checkout
 * @param files    the snapshot entries of the selected files
 * @param primary  the GGUF to open (the first part of a split one), or null when the model is the folder
 * @param bytes    the total size of the selected files
 */
public record PullResult(RepoId repo, String commit, Path snapshot, List<Path> files, Path primary, long bytes) {
    public PullResult {
        files = List.copyOf(files);
    }

    /** What a runtime loads: the GGUF file, or the snapshot folder of a safetensors model. */
    public Path modelPath() {
        return primary != null ? primary : snapshot;
    }
}
