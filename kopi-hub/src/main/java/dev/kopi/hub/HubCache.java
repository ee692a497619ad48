package dev.kopi.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Hugging Face hub cache, laid out exactly as huggingface_hub lays it out so that both share models:
 * <pre>
 * {root}/models--org--name/blobs/{etag}                 file content, named by its ETag
 * {root}/models--org--name/blobs/{etag}.incomplete      a download in progress (resumable)
 * {root}/models--org--name/snapshots/{commit}/{path}    relative symlink to ../../blobs/{etag}
 * {root}/models--org--name/refs/{revision}              the commit hash a branch or tag pointed to
 * {root}/.locks/models--org--name/{etag}.lock           held while a blob is downloaded
 * </pre>
 */
public final class HubCache {
    private final Path root;
    private final CacheStorage storage;

    public HubCache(Path root) {
        this(root, CacheStorage.FILE_SYSTEM);
    }

    HubCache(Path root, CacheStorage storage) {
        this.root = root.toAbsolutePath().normalize();
        this.storage = storage;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(RepoId repo) {
        return root.resolve(repo.cacheFolderName());
    }

    Path blobPath(RepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    Path incompletePath(RepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lockPath(RepoId repo, String etag) {
        return root.resolve(".locks").resolve(repo.cacheFolderName()).resolve(etag + ".lock");
    }

    public Path snapshotDir(RepoId repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    /** Where a repository file appears in a snapshot. */
    public Path snapshotPath(RepoId repo, String commit, String path) {
        Path dir = snapshotDir(repo, commit);
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir) || file.equals(dir)) {
            throw new HubException(HubException.Kind.PROTOCOL, "unsafe file name '" + path + "' in " + repo);
        }
        return file;
    }

    /** The commit a revision points to in the cache: a ref file's content, or the revision itself when it is a cached commit. */
    public Optional<String> commitOf(RepoId repo, String revision) {
        if (revision.matches("[0-9a-f]{40}") && Files.isDirectory(snapshotDir(repo, revision))) {
            return Optional.of(revision);
        }
        Path ref = refPath(repo, revision);
        try {
            return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that a branch or tag points to a commit; a commit hash needs no ref (as in huggingface_hub). */
    void writeRef(RepoId repo, String revision, String commit) {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = refPath(repo, revision);
        try {
            if (commit.equals(commitOf(repo, revision).orElse(null))) {
                return;
            }
            createDirectories(ref.getParent());
            Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, ref, root, 40);
        }
    }

    private Path refPath(RepoId repo, String revision) {
        Path refs = repoDir(repo).resolve("refs");
        Path ref = refs.resolve(revision).normalize();
        if (!ref.startsWith(refs) || ref.equals(refs)) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision name");
        }
        return ref;
    }

    /**
     * Makes {@code snapshots/<commit>/<path>} a relative symlink to the blob; where the file system has no
     * symlinks, a copy (huggingface_hub does the same on Windows without developer mode).
     */
    Path link(RepoId repo, String commit, String path, Path blob) {
        Path link = snapshotPath(repo, commit, path);
        try {
            createDirectories(link.getParent());
            Path target = link.getParent().relativize(blob);
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
                return link;
            }
            Path tmp = link.resolveSibling(link.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-"
                    + Thread.currentThread().threadId());
            Files.deleteIfExists(tmp);
            try {
                Files.createSymbolicLink(tmp, target);
            } catch (UnsupportedOperationException | IOException noSymlinks) {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return link;
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, link, root, 0);
        }
    }

    void createDirectories(Path dir) {
        try {
            storage.createDirectories(dir);
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, dir, root, 0);
        }
    }

    CacheStorage storage() {
        return storage;
    }

    /** All repositories in the cache, sorted by name. */
    public List<CachedRepo> list() {
        List<CachedRepo> repos = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return repos;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                RepoId repo = RepoId.fromCacheFolderName(dir.getFileName().toString());
                if (repo != null) {
                    repos.add(describe(repo));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache folder " + root, e);
        }
        repos.sort(Comparator.comparing(r -> r.repo().toString().toLowerCase(java.util.Locale.ROOT)));
        return repos;
    }

    /** A repository in the cache, if any of it is there. */
    public Optional<CachedRepo> find(RepoId repo) {
        return Files.isDirectory(repoDir(repo)) ? Optional.of(describe(repo)) : Optional.empty();
    }

    private CachedRepo describe(RepoId repo) {
        Path dir = repoDir(repo);
        Map<String, List<String>> refsByCommit = new TreeMap<>();
        Path refs = dir.resolve("refs");
        Instant modified = lastModified(dir);
        if (Files.isDirectory(refs)) {
            try (Stream<Path> files = Files.walk(refs)) {
                for (Path ref : files.filter(Files::isRegularFile).toList()) {
                    String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
                    refsByCommit.computeIfAbsent(commit, c -> new ArrayList<>())
                            .add(refs.relativize(ref).toString().replace('\\', '/'));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + refs, e);
            }
        }
        List<CachedSnapshot> snapshots = new ArrayList<>();
        Path snapshotsDir = dir.resolve("snapshots");
        if (Files.isDirectory(snapshotsDir)) {
            try (DirectoryStream<Path> commits = Files.newDirectoryStream(snapshotsDir, Files::isDirectory)) {
                for (Path commitDir : commits) {
                    String commit = commitDir.getFileName().toString();
                    snapshots.add(new CachedSnapshot(commit, refsByCommit.getOrDefault(commit, List.of()), commitDir,
                            filesOf(commitDir)));
                    Instant m = lastModified(commitDir);
                    modified = m.isAfter(modified) ? m : modified;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + snapshotsDir, e);
            }
        }
        snapshots.sort(Comparator.comparing(CachedSnapshot::commit));
        long size = 0;
        Path blobs = dir.resolve("blobs");
        if (Files.isDirectory(blobs)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs)) {
                for (Path blob : files) {
                    BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class);
                    size += attributes.size();
                    Instant m = attributes.lastModifiedTime().toInstant();
                    modified = m.isAfter(modified) ? m : modified;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + blobs, e);
            }
        }
        return new CachedRepo(repo, dir, snapshots, size, modified);
    }

    private static List<CachedFile> filesOf(Path snapshot) throws IOException {
        List<CachedFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.walk(snapshot)) {
            for (Path entry : entries.filter(p -> !Files.isDirectory(p)).toList()) {
                String path = snapshot.relativize(entry).toString().replace('\\', '/');
                if (path.contains(".tmp")) {
                    continue;
                }
                long size = Files.exists(entry) ? Files.size(entry) : -1;
                files.add(new CachedFile(path, entry, size));
            }
        }
        files.sort(Comparator.comparing(CachedFile::path));
        return files;
    }

    static Instant lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Deletes a repository and its lock files from the cache; returns the bytes of blobs freed. */
    public long delete(RepoId repo) {
        Optional<CachedRepo> cached = find(repo);
        if (cached.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, repo + " is not in the cache (" + root + ")");
        }
        deleteTree(repoDir(repo));
        deleteTree(root.resolve(".locks").resolve(repo.cacheFolderName()));
        return cached.get().sizeOnDisk();
    }

    /**
     * Deletes some files of one snapshot, and the blobs no other snapshot entry links to any more; returns the
     * bytes freed.
     */
    public long delete(RepoId repo, CachedSnapshot snapshot, List<CachedFile> files) {
        long freed = 0;
        try {
            Set<Path> candidates = new HashSet<>();
            for (CachedFile file : files) {
                if (Files.isSymbolicLink(file.local())) {
                    candidates.add(file.local().getParent().resolve(Files.readSymbolicLink(file.local())).normalize());
                } else {
                    freed += Math.max(0, file.size());
                }
                Files.deleteIfExists(file.local());
            }
            Set<Path> stillLinked = new HashSet<>();
            for (CachedSnapshot s : describe(repo).snapshots()) {
                for (CachedFile f : s.files()) {
                    if (Files.isSymbolicLink(f.local())) {
                        stillLinked.add(f.local().getParent().resolve(Files.readSymbolicLink(f.local())).normalize());
                    }
                }
            }
            for (Path blob : candidates) {
                if (!stillLinked.contains(blob) && Files.exists(blob)) {
                    freed += Files.size(blob);
                    Files.delete(blob);
                }
            }
            pruneEmptyDirs(snapshot.dir());
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, snapshot.dir(), root, 0);
        }
        return freed;
    }

    private static void pruneEmptyDirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path d : entries.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                try (Stream<Path> children = Files.list(d)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        }
    }

    private void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : entries.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException alreadyGone) {
                    // another process removed it first
                }
            }
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, dir, root, 0);
        }
    }
}
