package dev.kopi.eval.metrics;

import java.io.IOException;

/**
 * Keeps judge verdicts (MetricX scores, criteria classifications) as they arrive, so that a resumed run reuses them
 * instead of asking the judge again.
 */
public interface JudgeLog {
    /** A judge's verdict: the score kopi derives and the judge's own text (kept for audit). */
    record Verdict(double score, String text) {}

    /** A verdict that a judge computes. */
    @FunctionalInterface
    interface Judgement {
        Verdict get() throws IOException, InterruptedException;
    }

    /** The recorded score for {@code itemId} and {@code prompt}, or the judge's new score, recorded before returning. */
    double score(String itemId, String prompt, Judgement judge) throws IOException, InterruptedException;

    /** A log that keeps nothing. */
    static JudgeLog none() {
        return (itemId, prompt, judge) -> judge.get().score();
    }
}
