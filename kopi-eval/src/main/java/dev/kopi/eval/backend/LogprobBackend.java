package dev.kopi.eval.backend;

import java.io.IOException;

/**
 * A backend that can score SEA-HELM's log-probability tasks ({@code use_logprobs}). SEA-HELM's strategy has two
 * steps: the model answers the prompt until it writes the answer tag (the tag is a stop string and stays in the
 * answer); then, if it stopped there, the label's tokens ({@code answer_tag_separator + label}) are appended after
 * the prompt and that answer, and their log-probabilities under the model are summed.
 */
public interface LogprobBackend extends Backend {
    /**
     * The outcome of one item.
     *
     * @param answer       the model's answer up to and including the tag (what it wrote before the label)
     * @param finishReason why the answer ended; the label is scored only when it ended at a stop ("stop")
     * @param logprob      the summed log-probability of the continuation's tokens, or NaN when it was not scored
     * @param tokens       how many tokens the continuation has (0 when not scored)
     */
    record LabelScore(String answer, String finishReason, double logprob, int tokens) {
        public boolean scored() {
            return !Double.isNaN(logprob);
        }
    }

    /**
     * Answers {@code request} until {@code answerTag} and scores {@code continuation} after that answer.
     *
     * @param request the item's conversation and generation settings (its stop strings are replaced by the tag)
     */
    LabelScore scoreLabel(ChatRequest request, String answerTag, String continuation) throws IOException, InterruptedException;

    /** SEA-HELM scores the label only when the first step ended at a stop (vLLM's "stop": a stop string or end of turn). */
    static boolean stoppedAtStop(String finishReason) {
        return "stop".equals(finishReason);
    }
}
