package dev.kopi.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The writes kopi makes into the cache. Production uses the file system directly; tests substitute failures
 * (a full disk, a read-only folder) that a test machine cannot produce on demand.
 */
interface CacheStorage {
    void createDirectories(Path dir) throws IOException;

    /** A channel that appends to the file, creating it if absent. */
    WritableByteChannel openForAppend(Path file) throws IOException;

    CacheStorage FILE_SYSTEM = new CacheStorage() {
        @Override
        public void createDirectories(Path dir) throws IOException {
            Files.createDirectories(dir);
        }

        @Override
        public WritableByteChannel openForAppend(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    };
}
