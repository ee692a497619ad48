package dev.kopi.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob into the cache: under the blob's lock, into {@code blobs/<etag>.incomplete}, resuming what
 * an earlier try left with a Range request, checking the result against the hub's checksum, and only then
 * renaming it to {@code blobs/<etag>} in one atomic step. A blob that exists under its final name is therefore
 * always complete and verified.
 */
final class BlobDownloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    /** Wakes readers whose connection stalled: the JDK's HTTP client has no read timeout for bodies. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kopi-download-watchdog").factory());
    static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private final HubCache cache;
    private final HubApi api;
    private final Duration stallTimeout;

    BlobDownloader(HubCache cache, HubApi api, Duration stallTimeout) {
        this.cache = cache;
        this.api = api;
        this.stallTimeout = stallTimeout;
    }

    /** The verified blob of a file, downloading it unless the cache has it. */
    Path fetch(RepoId repo, String path, RepoFile listed, FileMetadata meta, ProgressListener progress) {
        long size = meta.size() >= 0 ? meta.size() : listed == null ? -1 : listed.size();
        Path blob = cache.blobPath(repo, meta.etag());
        if (Files.isRegularFile(blob)) {
            return alreadyCached(path, blob, progress);
        }
        try (FileLocks.Held lock = FileLocks.acquire(cache.lockPath(repo, meta.etag()), cache)) {
            if (Files.isRegularFile(blob)) {
                return alreadyCached(path, blob, progress);
            }
            cache.createDirectories(blob.getParent());
            Path incomplete = cache.incompletePath(repo, meta.etag());
            Checksum checksum = Checksum.of(meta.etag(), listed == null ? null : listed.sha256(), size);
            long have = download(repo, path, meta, size, incomplete, checksum, progress);
            String mismatch = checksum.mismatch(have);
            if (mismatch != null) {
                deleteQuietly(incomplete);
                throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "checksum mismatch for " + path + " of " + repo
                        + ": " + mismatch + "; the download was discarded, nothing was cached. Pull again; if it "
                        + "persists, the server (" + api.transport().config().endpoint() + ") serves a corrupt file");
            }
            try {
                Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw StorageErrors.writeFailed(e, blob, cache.root(), 0);
            }
            progress.finished(path);
            return blob;
        }
    }

    private static Path alreadyCached(String path, Path blob, ProgressListener progress) {
        long size = sizeOf(blob);
        progress.started(path, size, size);
        progress.finished(path);
        return blob;
    }

    /** Fills the incomplete file and returns its length; the checksum has seen every byte of it. */
    private long download(RepoId repo, String path, FileMetadata meta, long size, Path incomplete, Checksum checksum,
                          ProgressListener progress) {
        HttpTransport transport = api.transport();
        long have = Files.exists(incomplete) ? sizeOf(incomplete) : 0;
        if (size >= 0 && have > size) {
            deleteQuietly(incomplete);
            have = 0;
        }
        if (have > 0) {
            try {
                checksum.updateFrom(incomplete, have);
            } catch (IOException e) {
                deleteQuietly(incomplete);
                checksum.reset();
                have = 0;
            }
        }
        ensureSpace(incomplete, size - have);
        progress.started(path, size, have);
        if (have > 0) {
            progress.note("resuming " + path + " at " + Sizes.human(have));
        }
        int failures = 0;
        while (size < 0 || have < size || !Files.exists(incomplete)) {
            if (size == 0) {
                touch(incomplete);
                break;
            }
            Map<String, String> headers = have > 0
                    ? Map.of("Range", "bytes=" + have + "-", "Accept-Encoding", "identity")
                    : Map.of("Accept-Encoding", "identity");
            HttpResponse<InputStream> response = transport.send("GET", meta.downloadUri(), headers, HttpTransport.Redirects.ALL);
            String failure;
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 416) {
                    long total = response.headers().firstValue("Content-Range").map(UNSATISFIED_RANGE::matcher)
                            .filter(Matcher::matches).map(m -> Long.parseLong(m.group(1))).orElse(-1L);
                    if (total == have && have > 0) {
                        break; // an earlier try received everything but was cut before the rename
                    }
                    failure = "the server cannot serve bytes from " + have + " (it has " + total + "); starting over";
                    deleteQuietly(incomplete);
                    checksum.reset();
                    have = 0;
                } else if (status == 200 || status == 206) {
                    if (status == 206 && startOf(response) != have || status == 200 && have > 0) {
                        // the server ignored or misread the range: start from zero rather than splice wrong bytes
                        deleteQuietly(incomplete);
                        checksum.reset();
                        have = 0;
                        if (status == 206) {
                            progress.note("the server sent an unexpected range for " + path + "; starting over");
                            continue;
                        }
                    }
                    long before = have;
                    have = copy(body, incomplete, have, size, checksum, path, progress);
                    if (size < 0 || have == size) {
                        if (size < 0) {
                            break;
                        }
                        continue;
                    }
                    failure = "the connection closed at " + have + " of " + size + " bytes";
                    if (have > before) {
                        failures = 0; // progress was made: a flaky link, not a dead one
                    }
                } else {
                    api.check(response, repo, meta.commit() == null ? "?" : meta.commit(), path);
                    throw new HubException(HubException.Kind.PROTOCOL, "the download of " + path + " answered HTTP " + status);
                }
            } catch (BrokenDownload e) {
                failure = "the connection broke at " + e.have + " of " + size + " bytes (" + e.getMessage() + ")";
                if (e.have > have) {
                    failures = 0;
                }
                have = e.have;
            } catch (IOException e) {
                failure = "the connection broke: " + HttpTransport.describe(e);
            }
            truncate(incomplete, have);
            failures++;
            if (failures >= transport.config().maxAttempts()) {
                throw new HubException(HubException.Kind.UNREACHABLE, "download of " + path + " of " + repo
                        + " failed: " + failure + ". The " + Sizes.human(have) + " received are kept; run the same "
                        + "command again to resume");
            }
            progress.note(failure + "; retrying");
            transport.pause(transport.backoff(failures));
        }
        return have;
    }

    /** A read that failed part-way; carries how much of the file is now on disk. */
    private static final class BrokenDownload extends IOException {
        final long have;

        BrokenDownload(long have, IOException cause) {
            super(HttpTransport.describe(cause), cause);
            this.have = have;
        }
    }

    /** Appends the body to the incomplete file; a network failure is a {@link BrokenDownload}, a disk failure a HubException. */
    private long copy(InputStream body, Path incomplete, long have, long size, Checksum checksum, String path,
                      ProgressListener progress) throws BrokenDownload {
        byte[] buffer = new byte[1 << 16];
        long written = have;
        Thread reader = Thread.currentThread();
        AtomicLong lastRead = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = stallTimeout.toNanos();
        long period = Math.max(10, stallTimeout.toMillis() / 4);
        ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastRead.get() > stallNanos && stalled.compareAndSet(false, true)) {
                reader.interrupt();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        WritableByteChannel out;
        try {
            out = cache.storage().openForAppend(incomplete);
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, incomplete, cache.root(), size - have);
        }
        try (out) {
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw new BrokenDownload(written, stalled.get()
                            ? new IOException("no data for " + stallTimeout.toSeconds() + " s") : e);
                }
                lastRead.set(System.nanoTime());
                if (n < 0) {
                    return written;
                }
                if (size >= 0 && written + n > size) {
                    throw new HubException(HubException.Kind.CHECKSUM_MISMATCH, "the server sent more than the "
                            + size + " bytes of " + path + "; nothing was cached");
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                try {
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    if (stalled.get()) {
                        throw new BrokenDownload(written, new IOException("no data for " + stallTimeout.toSeconds() + " s"));
                    }
                    throw StorageErrors.writeFailed(e, incomplete, cache.root(), size < 0 ? -1 : size - written);
                }
                checksum.update(ByteBuffer.wrap(buffer, 0, n));
                written += n;
                progress.advanced(path, n);
            }
        } catch (BrokenDownload e) {
            throw e;
        } catch (IOException closeFailed) {
            throw StorageErrors.writeFailed(closeFailed, incomplete, cache.root(), size < 0 ? -1 : size - written);
        } finally {
            watch.cancel(false);
            if (stalled.get()) {
                Thread.interrupted(); // the watchdog's interrupt was for the stalled read only
            }
        }
    }

    /** Cuts the partial file back to what the checksum has seen, should a failed write have left more. */
    private void truncate(Path incomplete, long length) {
        try {
            if (Files.exists(incomplete) && Files.size(incomplete) > length) {
                try (var channel = java.nio.channels.FileChannel.open(incomplete, StandardOpenOption.WRITE)) {
                    channel.truncate(length);
                }
            }
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, incomplete, cache.root(), 0);
        }
    }

    private static long startOf(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Range").map(CONTENT_RANGE::matcher).filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1))).orElse(-1L);
    }

    /** Fails before downloading when the disk cannot hold the rest of the file. */
    private void ensureSpace(Path incomplete, long needed) {
        if (needed <= 0) {
            return;
        }
        try {
            long free = Files.getFileStore(incomplete.getParent()).getUsableSpace();
            if (free < needed) {
                throw StorageErrors.noSpace(incomplete, needed, null);
            }
        } catch (IOException unknown) {
            // the file store cannot tell: the writes will report a full disk if it comes to that
        }
    }

    private void touch(Path file) {
        try {
            cache.storage().openForAppend(file).close();
        } catch (IOException e) {
            throw StorageErrors.writeFailed(e, file, cache.root(), 0);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .incomplete is never used as a model; the next pull replaces it
        }
    }
}
