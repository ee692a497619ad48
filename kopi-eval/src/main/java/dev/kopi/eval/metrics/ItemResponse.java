package dev.kopi.eval.metrics;

import java.util.List;

import dev.kopi.eval.data.EvalItem;

/**
 * An item with the model's answers, one per turn. A failed request is an empty answer, as SEA-HELM replaces error
 * responses with {@code ""}.
 */
public record ItemResponse(EvalItem item, List<String> answers) {
    public ItemResponse {
        answers = List.copyOf(answers);
    }

    /** The answer to the first turn, which single-turn metrics score. */
    public String first() {
        return answers.isEmpty() ? "" : answers.get(0);
    }
}
