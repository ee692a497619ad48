package dev.kopi.eval.run;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.JsonLines;

/**
 * An append-only JSON Lines file that survives being killed at any moment. Each record is written as one line with
 * a single write before {@link #append} returns: from then on it is in the kernel's page cache and survives the
 * process being killed, even with SIGKILL. Records are also forced to the disk itself (surviving a power loss) at
 * least every {@code syncInterval} and on close; forcing every record would cost a disk flush (tens of milliseconds on
 * shared disks) per answer. On opening, a last line without its newline (the one record a kill can tear) is cut off;
 * every complete line must parse.
 */
public final class AppendLog implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final List<ObjectNode> existing;
    private final long syncIntervalNanos;
    private long lastSync = System.nanoTime();
    private boolean unsynced;

    /** How often records reach the disk itself: every second by default. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

    private AppendLog(Path file, FileChannel channel, List<ObjectNode> existing, Duration syncInterval) {
        this.file = file;
        this.channel = channel;
        this.existing = existing;
        this.syncIntervalNanos = syncInterval.toNanos();
    }

    /** Opens (creating if needed) the log and reads the records already in it. */
    public static AppendLog open(Path file) throws IOException {
        return open(file, DEFAULT_SYNC_INTERVAL);
    }

    /**
     * Opens the log with a given disk-sync interval ({@link Duration#ZERO}: force every record to disk before
     * {@link #append} returns).
     */
    public static AppendLog open(Path file, Duration syncInterval) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < bytes.length) {
                channel.truncate(end);
                channel.force(true);
            }
            List<ObjectNode> records = parse(file, bytes, end);
            channel.position(end);
            return new AppendLog(file, channel, records, syncInterval);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static List<ObjectNode> parse(Path file, byte[] bytes, int end) {
        List<ObjectNode> records = new ArrayList<>();
        int start = 0;
        int line = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                line++;
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JsonLines.JSON.readTree(text);
                    if (!(node instanceof ObjectNode object)) {
                        throw new EvalConfigException(file + ":" + line + ": expected a JSON object");
                    }
                    records.add(object);
                } catch (JsonProcessingException e) {
                    throw new EvalConfigException(file + ":" + line + ": corrupt record (" + e.getOriginalMessage() + ")", e);
                }
            }
        }
        return records;
    }

    /** The records that were in the file when it was opened. */
    public List<ObjectNode> existing() {
        return existing;
    }

    /** Appends one record with a single write; forces the file to disk when the sync interval has passed. */
    public synchronized void append(ObjectNode record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        JsonLines.JSON.writeValue(out, record);
        out.write('\n');
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        unsynced = true;
        long now = System.nanoTime();
        if (now - lastSync >= syncIntervalNanos) {
            channel.force(false);
            lastSync = now;
            unsynced = false;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (unsynced) {
                channel.force(false);
            }
        } finally {
            channel.close();
        }
    }
}
