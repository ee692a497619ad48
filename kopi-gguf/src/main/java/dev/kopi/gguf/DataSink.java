package dev.kopi.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Where a writer's callback streams one tensor's bytes, in order. The writer counts them: a callback must
 * write exactly the tensor's byte size, no more (the write fails at once) and no less (it fails when the
 * callback returns).
 */
public interface DataSink {
    /** Writes all bytes of {@code bytes}, which may be larger than 2 GiB. */
    void write(MemorySegment bytes) throws IOException;

    /** Writes the bytes between the buffer's position and its limit, and advances its position to the limit. */
    void write(ByteBuffer bytes) throws IOException;

    default void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    /**
     * Writes {@code count} zero bytes. Where the file system supports sparse files, this leaves a hole and takes
     * neither time nor disk space, which makes synthetic multi-gigabyte test files cheap.
     */
    void writeZeros(long count) throws IOException;

    /** Bytes written to this sink so far. */
    long written();

    /** Produces one tensor's bytes; called once, when the writer reaches that tensor. */
    @FunctionalInterface
    interface Source {
        void writeTo(DataSink sink) throws IOException;
    }
}
