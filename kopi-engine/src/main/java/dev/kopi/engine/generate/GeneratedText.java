package dev.kopi.engine.generate;

import dev.kopi.tokenizer.StreamingDecoder;
import dev.kopi.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * The text side of one generation: each token is decoded UTF-8-safely, checked for stop strings (held back
 * while it might begin one) and split into reasoning and answer (unless the options say the text is to stay
 * whole), and each final piece goes to the caller's
 * {@link TextListener} at once. {@link Generator} and {@link BatchGenerator} keep one per sequence.
 */
final class GeneratedText implements Session.TokenListener {
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final ReasoningSplitter.Sink sink;
    /** Null when the text stays whole. */
    private final ReasoningSplitter splitter;
    private final StopStrings stops;
    private final StreamingDecoder decoder;
    private int[] tokens = new int[64];
    private int size;

    GeneratedText(Tokenizer tokenizer, GenerationOptions options, TextListener listener) {
        this.sink = new ReasoningSplitter.Sink() {
            @Override
            public void reasoning(String text) {
                reasoning.append(text);
                listener.onReasoning(text);
            }

            @Override
            public void content(String text) {
                content.append(text);
                listener.onContent(text);
            }
        };
        this.splitter = options.splitReasoning() ? new ReasoningSplitter(sink, options.startInReasoning()) : null;
        this.stops = new StopStrings(options.stopStrings());
        this.decoder = tokenizer.streamingDecoder(true);
    }

    /** Records and streams {@code token}; false once a stop string has completed. */
    @Override
    public boolean onToken(int token) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, size * 2);
        }
        tokens[size++] = token;
        feed(stops.feed(decoder.next(token)));
        return !stops.stopped();
    }

    /** Releases the held-back text and sums the generation up. */
    GenerationResult finish(StopReason reason, int promptTokens, int reusedTokens, long prefillNanos,
                            long decodeNanos) {
        if (!stops.stopped()) {
            feed(stops.feed(decoder.flush()));
            feed(stops.flush());
        }
        if (splitter != null) {
            splitter.finish();
        }
        return new GenerationResult(content.toString(), reasoning.toString().strip(), Arrays.copyOf(tokens, size),
                reason, promptTokens, reusedTokens, prefillNanos, decodeNanos);
    }

    private void feed(String text) {
        if (splitter != null) {
            splitter.feed(text);
        } else if (!text.isEmpty()) {
            sink.content(text);
        }
    }
}
