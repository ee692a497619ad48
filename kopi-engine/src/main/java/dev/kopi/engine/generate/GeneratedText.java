package dev.kopi.engine.generate;

import dev.kopi.tokenizer.StreamingDecoder;
import dev.kopi.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * The text side of one generation: each token is decoded UTF-8-safely, checked for stop strings (held back
 * while it might begin one) and split into reasoning and answer, and each final piece goes to the caller's
 * {@link TextListener} at once. {@link Generator} and {@link BatchGenerator} keep one per sequence.
 */
final class GeneratedText implements Session.TokenListener {
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final ReasoningSplitter splitter;
    private final StopStrings stops;
    private final StreamingDecoder decoder;
    private int[] tokens = new int[64];
    private int size;

    GeneratedText(Tokenizer tokenizer, GenerationOptions options, TextListener listener) {
        this.splitter = new ReasoningSplitter(new ReasoningSplitter.Sink() {
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
        }, options.startInReasoning());
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
        splitter.feed(stops.feed(decoder.next(token)));
        return !stops.stopped();
    }

    /** Releases the held-back text and sums the generation up. */
    GenerationResult finish(StopReason reason, int promptTokens, int reusedTokens, long prefillNanos,
                            long decodeNanos) {
        if (!stops.stopped()) {
            splitter.feed(stops.feed(decoder.flush()));
            splitter.feed(stops.flush());
        }
        splitter.finish();
        return new GenerationResult(content.toString(), reasoning.toString().strip(), Arrays.copyOf(tokens, size),
                reason, promptTokens, reusedTokens, prefillNanos, decodeNanos);
    }
}
