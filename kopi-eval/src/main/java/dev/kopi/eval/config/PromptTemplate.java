package dev.kopi.eval.config;

/**
 * The four prompt pieces SEA-HELM defines per task and language. {@code preamble} is prepended to the first user
 * turn, {@code taskTemplate} formats one item, {@code answerTemplate} formats a few-shot example's answer, and
 * {@code answerTag} is the marker the model is asked to put before its answer.
 */
public record PromptTemplate(String preamble, String taskTemplate, String answerTemplate, String answerTag) {}
