package dev.kopi.engine.generate;

/**
 * Separates a reasoning model's {@code <think>...</think>} block from its answer in streamed text. Qwen3 opens
 * its reply with the block when thinking is on (some templates put the opening tag in the prompt already, so
 * the splitter can start inside it). Tags split across pieces are recognised: text that might be the start of
 * a tag is held back until it is known not to be.
 */
public final class ReasoningSplitter {
    public static final String OPEN = "<think>";
    public static final String CLOSE = "</think>";

    /** Receives the two kinds of text as they become known. */
    public interface Sink {
        void reasoning(String text);

        void content(String text);
    }

    private enum State { BEFORE_REASONING, REASONING, AFTER_REASONING, CONTENT }

    private final Sink sink;
    private final StringBuilder pending = new StringBuilder();
    private State state;

    /** @param startInReasoning true when the prompt already ends with {@code <think>} */
    public ReasoningSplitter(Sink sink, boolean startInReasoning) {
        this.sink = sink;
        this.state = startInReasoning ? State.REASONING : State.BEFORE_REASONING;
    }

    /** Adds a piece of generated text. */
    public void feed(String piece) {
        pending.append(piece);
        while (!pending.isEmpty()) {
            switch (state) {
                case BEFORE_REASONING -> {
                    String head = pending.toString().stripLeading();
                    if (head.startsWith(OPEN)) {
                        pending.delete(0, pending.length() - head.length() + OPEN.length());
                        state = State.REASONING;
                    } else if (OPEN.startsWith(head)) {
                        return; // maybe the start of the tag; wait for more
                    } else {
                        state = State.CONTENT;
                    }
                }
                case REASONING -> {
                    int at = pending.indexOf(CLOSE);
                    if (at < 0) {
                        int ready = pending.length() - PartialMatch.suffixPrefix(pending, CLOSE);
                        if (ready > 0) {
                            sink.reasoning(take(ready));
                        }
                        return;
                    }
                    String text = take(at);
                    if (!text.isEmpty()) {
                        sink.reasoning(text);
                    }
                    pending.delete(0, CLOSE.length());
                    state = State.AFTER_REASONING;
                }
                case AFTER_REASONING -> {
                    // Qwen3 writes "</think>\n\n" before the answer; the newlines belong to neither part
                    while (!pending.isEmpty() && (pending.charAt(0) == '\n' || pending.charAt(0) == '\r')) {
                        pending.deleteCharAt(0);
                    }
                    if (!pending.isEmpty()) {
                        state = State.CONTENT;
                    }
                }
                case CONTENT -> sink.content(take(pending.length()));
            }
        }
    }

    /** Releases held-back text at the end of the generation. */
    public void finish() {
        if (!pending.isEmpty()) {
            String rest = take(pending.length());
            if (state == State.REASONING) {
                sink.reasoning(rest);
            } else {
                sink.content(rest);
            }
        }
    }

    private String take(int n) {
        String s = pending.substring(0, n);
        pending.delete(0, n);
        return s;
    }
}
