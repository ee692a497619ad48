package dev.kopi.eval.prompt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.PromptTemplate;
import dev.kopi.eval.data.EvalItem;

/**
 * Builds the conversations SEA-HELM sends. Each turn appends, after the earlier turns and the model's answers to
 * them, the few-shot examples as user/assistant pairs (none for instruct models, five for base models) and the
 * item's own user message; the preamble is prepended to the first user message of the turn.
 */
public final class PromptBuilder {
    private final LanguageConfig language;
    private final Function<ObjectNode, List<EvalItem>> examples;
    private final String where;

    /**
     * @param examples few-shot examples (already cut to the number wanted); empty for zero-shot
     * @param where    task and language, for error messages
     */
    public PromptBuilder(LanguageConfig language, List<EvalItem> examples, String where) {
        this(language, sameFor(List.copyOf(examples)), where);
    }

    private static Function<ObjectNode, List<EvalItem>> sameFor(List<EvalItem> examples) {
        return values -> examples;
    }

    /**
     * @param examples the few-shot examples of one turn, chosen by that turn's prompt values (Global-MMLU-Lite
     *                 draws them from the item's subject)
     */
    public PromptBuilder(LanguageConfig language, Function<ObjectNode, List<EvalItem>> examples, String where) {
        this.language = language;
        this.examples = examples;
        this.where = where;
    }

    /**
     * The conversation for turn {@code turn} (1-based) of {@code item}.
     *
     * @param previousAnswers the model's answers to turns 1..turn-1
     */
    public List<ChatMessage> conversation(EvalItem item, int turn, List<String> previousAnswers) {
        if (turn < 1 || turn > item.turns()) {
            throw new IllegalArgumentException("turn " + turn + " outside 1.." + item.turns());
        }
        if (previousAnswers.size() < turn - 1) {
            throw new IllegalArgumentException("turn " + turn + " needs " + (turn - 1) + " earlier answers");
        }
        List<ChatMessage> conversation = new ArrayList<>();
        for (int t = 1; t <= turn; t++) {
            if (t > 1) {
                conversation.add(ChatMessage.assistant(previousAnswers.get(t - 2)));
            }
            conversation.addAll(turnMessages(item.prompts().get(t - 1)));
        }
        return conversation;
    }

    private List<ChatMessage> turnMessages(ObjectNode values) {
        PromptTemplate template = language.prompt();
        List<String> roles = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        for (EvalItem example : examples.apply(values)) {
            Map<String, String> exampleValues = values(example.prompts().get(0));
            exampleValues.put("answer_tag", template.answerTag());
            roles.add("user");
            contents.add(PyFormat.format(template.taskTemplate(), exampleValues, where + " example " + example.id()));
            Map<String, String> answerValues = values(example.row());
            answerValues.put("label", example.labelText());
            answerValues.putAll(exampleValues);
            roles.add("assistant");
            contents.add(PyFormat.format(template.answerTemplate(), answerValues, where + " example " + example.id()));
        }
        roles.add("user");
        contents.add(PyFormat.format(template.taskTemplate(), values(values), where));
        Map<String, String> preambleValues = Map.of("answer_tag", template.answerTag());
        String preamble = PyFormat.format(template.preamble(), preambleValues, where + " preamble");
        contents.set(0, (preamble + "\n\n" + contents.get(0)).strip());
        List<ChatMessage> messages = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            messages.add(new ChatMessage(roles.get(i), contents.get(i)));
        }
        return messages;
    }

    /** Template values from a JSON object: scalars as their text, anything else as its JSON. */
    private static Map<String, String> values(ObjectNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), text(e.getValue())));
        return values;
    }

    /** A value as Python's {@code str.format} prints it: null as None, booleans as True/False, containers as JSON. */
    private static String text(JsonNode value) {
        if (value.isNull()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
