package dev.kopi.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on {@code .locks/<repo>/<etag>.lock}, the files huggingface_hub locks, so that two kopi
 * processes, two threads, or kopi and Python never write the same blob at once. On Linux and macOS the lock is
 * {@code flock(2)}, as Python's filelock takes it; elsewhere a FileChannel lock. An OS file lock is held per
 * process, so threads of this process first queue on an in-process lock for the same path.
 */
final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {}

    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks until this thread holds the lock file exclusively. */
    static Held acquire(Path lockFile, HubCache cache) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            cache.createDirectories(key.getParent());
            if (NativeFlock.available()) {
                int fd = NativeFlock.lockExclusive(key);
                return () -> {
                    NativeFlock.unlock(fd);
                    local.unlock();
                };
            }
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            FileChannel held = channel;
            return () -> {
                try {
                    lock.release();
                    held.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock in any case
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException e) {
            closeQuietly(channel);
            local.unlock();
            throw StorageErrors.writeFailed(e, key, cache.root(), 0);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
