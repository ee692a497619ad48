package dev.kopi.hub;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A repository in the hub cache.
 *
 * @param repo         which repository
 * @param dir          its folder, {@code models--org--name}
 * @param snapshots    its cached commits
 * @param sizeOnDisk   the bytes of its blobs (each blob once, however many snapshots link to it)
 * @param lastModified when a blob or snapshot last changed
 */
public record CachedRepo(RepoId repo, Path dir, List<CachedSnapshot> snapshots, long sizeOnDisk, Instant lastModified) {
    public CachedRepo {
        snapshots = List.copyOf(snapshots);
    }

    /** The snapshot of a revision: the one a ref names, a commit hash (or its prefix), else none. */
    public Optional<CachedSnapshot> snapshot(String revision) {
        for (CachedSnapshot s : snapshots) {
            if (s.refs().contains(revision)) {
                return Optional.of(s);
            }
        }
        if (revision.matches("[0-9a-f]{7,40}")) {
            return snapshots.stream().filter(s -> s.commit().startsWith(revision)).findFirst();
        }
        return Optional.empty();
    }

    /** The snapshot most users mean: {@code main}'s, else the most recently modified one. */
    public Optional<CachedSnapshot> current() {
        return snapshot("main").or(() -> snapshots.stream()
                .max(Comparator.comparing(s -> HubCache.lastModified(s.dir()))));
    }
}
