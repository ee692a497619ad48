package dev.kopi.server;

import dev.kopi.engine.generate.GenerationHandle;
import dev.kopi.engine.generate.TextListener;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands the streamed text of one HTTP request's generations from the generator's thread (which must never wait
 * on a network) to the request's own thread, which writes the events.
 */
final class PieceQueue {
    enum Kind { REASONING, CONTENT, FINISHED }

    /**
     * A piece of one choice's text, or the note that the choice has finished.
     *
     * @param logprobs the scored tokens generated since the previous piece (empty when not asked for)
     */
    record Piece(int choice, Kind kind, String text, List<TokenLogprobs.Entry> logprobs) {
    }

    private final BlockingQueue<Piece> queue = new LinkedBlockingQueue<>();

    /** A listener that queues choice {@code choice}'s text, with its new scored tokens if {@code logprobs} is set. */
    TextListener listener(int choice, TokenLogprobs logprobs) {
        return new TextListener() {
            @Override
            public void onReasoning(String text) {
                queue.add(new Piece(choice, Kind.REASONING, text, drain(logprobs)));
            }

            @Override
            public void onContent(String text) {
                queue.add(new Piece(choice, Kind.CONTENT, text, drain(logprobs)));
            }
        };
    }

    /** Queues the end of choice {@code choice} when its generation completes (normally or not). */
    void finishWith(int choice, GenerationHandle handle, TokenLogprobs logprobs) {
        handle.completion().whenComplete((result, failure) ->
                queue.add(new Piece(choice, Kind.FINISHED, "", drain(logprobs))));
    }

    Piece take() throws InterruptedException {
        return queue.take();
    }

    private static List<TokenLogprobs.Entry> drain(TokenLogprobs logprobs) {
        return logprobs == null ? List.of() : logprobs.drainGenerated();
    }
}
