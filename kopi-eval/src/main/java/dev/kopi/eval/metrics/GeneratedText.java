package dev.kopi.eval.metrics;

import java.util.List;

/** The answers extracted from generative tasks' responses, with their references (the items' labels). */
record GeneratedText(List<String> predictions, List<String> references) {

    static GeneratedText of(List<ItemResponse> responses, AnswerExtractor extractor) {
        return new GeneratedText(
                responses.stream().map(r -> extractor.extract(r.first())).toList(),
                responses.stream().map(r -> r.item().labelText()).toList());
    }

    /** SEA-HELM's {@code null_count} for generative tasks: answers that came out empty. */
    double emptyCount() {
        return predictions.stream().filter(String::isEmpty).count();
    }
}
