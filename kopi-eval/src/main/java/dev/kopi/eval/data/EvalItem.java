package dev.kopi.eval.data;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;

/**
 * One row of a SEA-HELM dataset: {@code {id, label, prompts: [{...}, ...], metadata}}. Each element of
 * {@code prompts} holds the template values of one turn.
 *
 * @param row the whole row, for template values outside {@code prompts} (few-shot answers use the label)
 */
public record EvalItem(String id, JsonNode label, List<ObjectNode> prompts, JsonNode metadata, ObjectNode row) {

    /** Reads a row, naming {@code source} (file and line) in any error. */
    public static EvalItem of(ObjectNode row, String source) {
        JsonNode id = row.hasNonNull("id") ? row.get("id") : row.get("question_id");  // MT-Bench rows are keyed by question_id
        if (id == null || id.isNull()) {
            throw new EvalConfigException(source + ": row has no 'id'");
        }
        JsonNode prompts = row.get("prompts");
        if (prompts == null || !prompts.isArray() || prompts.isEmpty()) {
            throw new EvalConfigException(source + ": row " + id.asText() + " has no 'prompts' list");
        }
        List<ObjectNode> turns = new ArrayList<>();
        for (JsonNode turn : prompts) {
            if (!(turn instanceof ObjectNode object)) {
                throw new EvalConfigException(source + ": row " + id.asText() + ": each prompt must be a mapping of template values");
            }
            turns.add(object);
        }
        return new EvalItem(id.asText(), row.path("label"), List.copyOf(turns), row.path("metadata"), row);
    }

    public int turns() {
        return prompts.size();
    }

    /** The label as one string: the first element when the label is a list (as SEA-HELM does for few-shot answers). */
    public String labelText() {
        JsonNode first = label.isArray() ? label.path(0) : label;
        return first.isMissingNode() || first.isNull() ? "" : first.asText();
    }
}
