package dev.kopi.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * kopi's Hugging Face hub client: pulls models and data sets into the shared hub cache, verified, resumable and
 * safe to run concurrently, and finds them there again (also offline).
 */
public final class HubClient {
    private final HubConfig config;
    private final HubCache cache;
    private final HubApi api;
    private final BlobDownloader downloader;

    public HubClient(HubConfig config) {
        this(config, CacheStorage.FILE_SYSTEM, new HttpTransport(config), BlobDownloader.DEFAULT_STALL_TIMEOUT);
    }

    HubClient(HubConfig config, CacheStorage storage, HttpTransport transport, Duration stallTimeout) {
        this.config = config;
        this.cache = new HubCache(config.cacheDir(), storage);
        this.api = new HubApi(transport);
        this.downloader = new BlobDownloader(cache, api, stallTimeout);
    }

    /** A client configured from {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HOME}, {@code HF_HUB_CACHE}, {@code HF_HUB_OFFLINE}. */
    public static HubClient fromEnvironment() {
        return new HubClient(HubConfig.fromEnvironment());
    }

    public HubConfig config() {
        return config;
    }

    public HubCache cache() {
        return cache;
    }

    /** The files of a repository at a revision, from the hub. */
    public RepoListing listing(RepoId repo, String revision) {
        requireOnline(repo);
        return api.listing(repo, revision);
    }

    /** Pulls what a spec names at a revision (default {@code main}); offline, finds it in the cache instead. */
    public PullResult pull(ModelSpec spec, String revision, ProgressListener progress) {
        if (config.offline()) {
            return cached(spec, revision).orElseThrow(() -> notCachedOffline(spec));
        }
        RepoListing listing = api.listing(spec.repo(), revision);
        return pull(listing, FileSelector.select(spec.repo(), paths(listing), spec.selector()), revision, progress);
    }

    /** Pulls a chosen set of files of a listing, several at once. */
    public PullResult pull(RepoListing listing, FileSelection selection, String revision, ProgressListener progress) {
        RepoId repo = listing.repo();
        Map<String, RepoFile> byPath = new HashMap<>();
        listing.files().forEach(f -> byPath.put(f.path(), f));
        long total = 0;
        for (String path : selection.paths()) {
            long size = byPath.containsKey(path) ? byPath.get(path).size() : -1;
            total = total < 0 || size < 0 ? -1 : total + size;
        }
        progress.planned(selection.paths().size(), total);
        List<Path> local = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.parallelDownloads(), selection.paths().size()),
                Thread.ofPlatform().daemon().name("kopi-download-", 0).factory());
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (String path : selection.paths()) {
                futures.add(pool.submit(() -> fetchFile(repo, listing.commit(), path, byPath.get(path), progress)));
            }
            RuntimeException failure = null;
            for (Future<Path> future : futures) {
                try {
                    local.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new HubException(HubException.Kind.UNREACHABLE, "interrupted while pulling " + repo, e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
        cache.writeRef(repo, revision, listing.commit());
        Path primary = selection.primary() == null ? null : cache.snapshotPath(repo, listing.commit(), selection.primary());
        long bytes = 0;
        for (Path p : local) {
            bytes += sizeOf(p);
        }
        return new PullResult(repo, listing.commit(), cache.snapshotDir(repo, listing.commit()), local, primary, bytes);
    }

    /** One file of a repository (a model's or a data set's), from the cache or the hub; returns its snapshot path. */
    public Path download(RepoId repo, String revision, String path, ProgressListener progress) {
        if (config.offline()) {
            return cache.commitOf(repo, revision)
                    .map(commit -> cache.snapshotPath(repo, commit, path))
                    .filter(Files::exists)
                    .orElseThrow(() -> notCachedOffline(new ModelSpec(repo, path)));
        }
        FileMetadata meta = api.metadata(repo, revision, path);
        String commit = meta.commit();
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            throw new HubException(HubException.Kind.PROTOCOL, "the hub sent no commit (X-Repo-Commit) for " + path + " of " + repo);
        }
        progress.planned(1, meta.size());
        Path blob = downloader.fetch(repo, path, null, meta, progress);
        Path link = cache.link(repo, commit, path, blob);
        cache.writeRef(repo, revision, commit);
        return link;
    }

    /** What a spec names, if the cache holds all of it at the revision; never touches the network. */
    public Optional<PullResult> cached(ModelSpec spec, String revision) {
        RepoId repo = spec.repo();
        Optional<String> commit = cache.commitOf(repo, revision);
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        Optional<CachedSnapshot> snapshot = cache.find(repo).flatMap(r -> r.snapshot(commit.get()));
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        List<String> paths = snapshot.get().files().stream().filter(f -> f.size() >= 0).map(CachedFile::path).toList();
        FileSelection selection;
        try {
            selection = FileSelector.select(repo, paths, spec.selector());
        } catch (HubException noMatch) {
            return Optional.empty();
        }
        List<Path> files = new ArrayList<>();
        long bytes = 0;
        for (String path : selection.paths()) {
            Path file = cache.snapshotPath(repo, commit.get(), path);
            files.add(file);
            bytes += sizeOf(file);
        }
        Path primary = selection.primary() == null ? null : cache.snapshotPath(repo, commit.get(), selection.primary());
        return Optional.of(new PullResult(repo, commit.get(), snapshot.get().dir(), files, primary, bytes));
    }

    private Path fetchFile(RepoId repo, String commit, String path, RepoFile listed, ProgressListener progress) {
        FileMetadata meta = api.metadata(repo, commit, path);
        Path blob = downloader.fetch(repo, path, listed, meta, progress);
        return cache.link(repo, commit, path, blob);
    }

    private void requireOnline(RepoId repo) {
        if (config.offline()) {
            throw new HubException(HubException.Kind.NOT_CACHED, "HF_HUB_OFFLINE is set, so kopi cannot ask the hub about " + repo);
        }
    }

    private HubException notCachedOffline(ModelSpec spec) {
        return new HubException(HubException.Kind.NOT_CACHED, spec + " is not in the cache (" + cache.root()
                + ") and HF_HUB_OFFLINE=1 forbids downloading it: unset HF_HUB_OFFLINE and run 'kopi pull " + spec + "'");
    }

    static List<String> paths(RepoListing listing) {
        return listing.files().stream().map(RepoFile::path).toList();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
