package dev.kopi.eval.backend;

/**
 * A model's answer, with its reasoning (thinking) kept apart.
 *
 * @param content   the answer that is scored
 * @param reasoning the thinking text, or null when the model gave none
 */
public record Completion(String content, String reasoning, String finishReason, int promptTokens, int completionTokens) {

    /**
     * Separates thinking from the answer as SEA-HELM does for models that inline it: when {@code </think>} occurs, the
     * text before it (without {@code <think>}) is the reasoning and the text after it the answer.
     */
    public static Completion splitThinking(String text, String reasoning, String finishReason, int promptTokens, int completionTokens) {
        String content = text == null ? "" : text;
        int end = content.lastIndexOf("</think>");
        if (reasoning == null && end >= 0) {
            reasoning = content.substring(0, end).replace("<think>", "").strip();
            content = content.substring(end + "</think>".length());
        }
        return new Completion(content.strip(), reasoning, finishReason, promptTokens, completionTokens);
    }
}
