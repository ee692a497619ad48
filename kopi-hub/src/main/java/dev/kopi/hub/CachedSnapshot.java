package dev.kopi.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * One commit of a repository in the cache.
 *
 * @param commit the commit hash
 * @param refs   the revisions (branches, tags) that point at it
 * @param dir    {@code snapshots/<commit>}
 * @param files  its files, sorted by path
 */
public record CachedSnapshot(String commit, List<String> refs, Path dir, List<CachedFile> files) {
    public CachedSnapshot {
        refs = List.copyOf(refs);
        files = List.copyOf(files);
    }
}
