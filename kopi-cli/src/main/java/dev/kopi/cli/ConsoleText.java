package dev.kopi.cli;

import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.TextListener;

import java.io.PrintStream;

/**
 * Shows generated text on a console: the answer on one stream and the reasoning, dimmed with ANSI codes when
 * the streams are a terminal, on another (which may be the same).
 */
final class ConsoleText implements TextListener {
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream content;
    private final PrintStream reasoning;
    private final boolean ansi;
    private boolean inReasoning;

    ConsoleText(PrintStream content, PrintStream reasoning) {
        this(content, reasoning, System.console() != null && System.console().isTerminal());
    }

    ConsoleText(PrintStream content, PrintStream reasoning, boolean ansi) {
        this.content = content;
        this.reasoning = reasoning;
        this.ansi = ansi;
    }

    @Override
    public void onReasoning(String text) {
        if (!inReasoning) {
            inReasoning = true;
            if (ansi) {
                reasoning.print(DIM);
            }
        }
        reasoning.print(text);
        reasoning.flush();
    }

    @Override
    public void onContent(String text) {
        endReasoning();
        content.print(text);
        content.flush();
    }

    /** Closes the dimmed reasoning block if one is open. */
    void endReasoning() {
        if (inReasoning) {
            inReasoning = false;
            reasoning.print(ansi ? RESET + "\n" : "\n");
            reasoning.flush();
        }
    }

    static void printSpeed(PrintStream err, GenerationResult r) {
        err.printf("kopi: prompt %d tokens (%d reused) at %.1f t/s, generated %d tokens at %.1f t/s (%s)%n",
                r.promptTokens(), r.reusedTokens(), r.prefillTokensPerSecond(), r.tokens().length,
                r.decodeTokensPerSecond(), r.stopReason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
}
