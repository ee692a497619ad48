package dev.kopi.engine.generate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** A request submitted to a {@link BatchGenerator}: its outcome to come, and a way to stop it early. */
public final class GenerationHandle {
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean cancelRequested;

    GenerationHandle() {
    }

    /**
     * Asks the generation to stop before its next token. It then completes normally with
     * {@link StopReason#CANCELLED} and the text generated so far (none if it had not started).
     */
    public void cancel() {
        cancelRequested = true;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /**
     * Completes with the result, or exceptionally with what failed this request alone: its listener's exception,
     * or an {@link IllegalStateException} when the generator closed first. Actions chained without an executor
     * run on the generator's thread and hold up every sequence: keep them short.
     */
    public CompletionStage<GenerationResult> completion() {
        return result.minimalCompletionStage();
    }

    /** Whether the request has finished (normally or not). */
    public boolean isDone() {
        return result.isDone();
    }

    /**
     * Waits for the result. A failure is rethrown as it was thrown on the generator's thread (unchecked
     * exceptions unwrapped); being interrupted cancels the request.
     */
    public GenerationResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            cancel();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    void complete(GenerationResult r) {
        result.complete(r);
    }

    void fail(Throwable cause) {
        result.completeExceptionally(cause);
    }
}
