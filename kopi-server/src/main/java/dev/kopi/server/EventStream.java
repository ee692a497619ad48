package dev.kopi.server;

import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as OpenAI streams them: {@code data: <json>\n\n} per event, flushed at once, and
 * {@code data: [DONE]\n\n} at the end. A write that fails means the client has gone: {@link #send} then says so
 * and the caller stops its generation. (Helidon reports a lost connection as an unchecked
 * {@code ServerConnectionException} or an {@link java.io.UncheckedIOException}.)
 */
final class EventStream implements AutoCloseable {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private boolean open = true;

    EventStream(ServerResponse response) {
        response.header("Content-Type", "text/event-stream; charset=utf-8");
        response.header("Cache-Control", "no-cache");
        this.out = response.outputStream();
    }

    /** Sends one event; false once the client can no longer be reached. */
    boolean send(Object json) {
        return write(DATA, Json.write(json), END);
    }

    /** Ends the stream with {@code [DONE]}. */
    boolean done() {
        return write(DONE);
    }

    boolean isOpen() {
        return open;
    }

    private boolean write(byte[]... parts) {
        if (!open) {
            return false;
        }
        try {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            open = false;
        }
        return open;
    }

    @Override
    public void close() {
        if (open) {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                open = false; // the client left after the last event: nothing more to tell it
            }
        }
    }
}
