package dev.kopi.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential, buffered, little-endian writing of a model file, as the GGUF and safetensors writers do it.
 * Memory stays bounded whatever the file's size: bytes pass through one staging buffer.
 */
public final class FileSink implements DataSink, AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean completed;

    private FileSink(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates (or truncates) {@code path} for writing. */
    public static FileSink create(Path path) throws IOException {
        return new FileSink(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING));
    }

    @Override
    public long written() {
        return written;
    }

    public void u8(int v) throws IOException {
        room(1).put((byte) v);
        written += 1;
    }

    public void u16(int v) throws IOException {
        room(2).putShort((short) v);
        written += 2;
    }

    public void u32(int v) throws IOException {
        room(4).putInt(v);
        written += 4;
    }

    public void u64(long v) throws IOException {
        room(8).putLong(v);
        written += 8;
    }

    public void f32(float v) throws IOException {
        room(4).putFloat(v);
        written += 4;
    }

    public void f64(double v) throws IOException {
        room(8).putDouble(v);
        written += 8;
    }

    /** A GGUF string: its UTF-8 length as uint64, then the bytes. */
    public void ggufString(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        write(bytes);
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        if (length <= buffer.remaining()) {
            buffer.put(bytes);
        } else {
            flush();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        written += length;
    }

    @Override
    public void write(MemorySegment bytes) throws IOException {
        long size = bytes.byteSize();
        for (long at = 0; at < size; ) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = (int) Math.min(buffer.remaining(), size - at);
            MemorySegment.copy(bytes, at, MemorySegment.ofBuffer(buffer), 0, n);
            buffer.position(buffer.position() + n);
            at += n;
        }
        written += size;
    }

    @Override
    public void writeZeros(long count) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("negative zero count " + count);
        }
        if (count <= buffer.remaining()) {
            for (long i = 0; i < count; i++) {
                buffer.put((byte) 0);
            }
        } else {
            flush();
            channel.position(channel.position() + count);
        }
        written += count;
    }

    /** Writes zeros up to the next multiple of {@code alignment}. */
    public void padTo(long alignment) throws IOException {
        writeZeros(GgufFile.alignUp(written, alignment) - written);
    }

    /**
     * Runs {@code source} against a view of this sink that accepts exactly {@code expected} bytes.
     *
     * @throws IllegalStateException naming {@code what} if the source writes more or fewer bytes
     */
    public void writeExactly(long expected, DataSink.Source source, String what) throws IOException {
        long start = written;
        DataSink bounded = new DataSink() {
            @Override
            public void write(MemorySegment bytes) throws IOException {
                check(bytes.byteSize());
                FileSink.this.write(bytes);
            }

            @Override
            public void write(ByteBuffer bytes) throws IOException {
                check(bytes.remaining());
                FileSink.this.write(bytes);
            }

            @Override
            public void writeZeros(long count) throws IOException {
                check(count);
                FileSink.this.writeZeros(count);
            }

            @Override
            public long written() {
                return FileSink.this.written - start;
            }

            private void check(long more) {
                if (more > expected - written()) {
                    throw new IllegalStateException(what + " takes " + expected + " bytes but its source wrote "
                            + (written() + more));
                }
            }
        };
        source.writeTo(bounded);
        if (bounded.written() != expected) {
            throw new IllegalStateException(what + " takes " + expected + " bytes but its source wrote only "
                    + bounded.written());
        }
    }

    /** Marks the file complete: {@link #close()} keeps it. Without this call, closing deletes the partial file. */
    public void complete() {
        completed = true;
    }

    /** Flushes and closes; deletes the file unless {@link #complete()} was called. */
    @Override
    public void close() throws IOException {
        try (channel) {
            if (completed) {
                flush();
                if (channel.size() < written) {
                    // The file ends in a hole left by writeZeros: write its last byte to give the file its length.
                    channel.write(ByteBuffer.allocate(1), written - 1);
                }
            }
        } finally {
            if (!completed) {
                Files.deleteIfExists(path);
            }
        }
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }
}
