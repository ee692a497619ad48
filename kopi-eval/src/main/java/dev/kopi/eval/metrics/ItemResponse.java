package dev.kopi.eval.metrics;

import java.util.List;

import dev.kopi.eval.data.EvalItem;

/**
 * An item with the model's answers, one per turn. A failed request is an empty answer, as SEA-HELM replaces error
 * responses with {@code ""}.
 *
 * @param logprob for log-probability tasks, the summed log-probability of the item's label after the answer, or NaN
 *                (not scored, or not such a task)
 */
public record ItemResponse(EvalItem item, List<String> answers, double logprob) {
    public ItemResponse {
        answers = List.copyOf(answers);
    }

    public ItemResponse(EvalItem item, List<String> answers) {
        this(item, answers, Double.NaN);
    }

    /** The answer to the first turn, which single-turn metrics score. */
    public String first() {
        return answers.isEmpty() ? "" : answers.get(0);
    }
}
