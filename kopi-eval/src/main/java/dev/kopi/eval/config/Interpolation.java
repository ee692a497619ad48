package dev.kopi.eval.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Resolves OmegaConf-style {@code ${a.b.c}} references against the root of a merged config, in place. As in
 * OmegaConf, a value that is exactly one reference takes the referenced node (which may be a mapping or a list); a
 * reference inside a longer string is replaced by the referenced scalar's text. References may chain; cycles are
 * reported.
 */
final class Interpolation {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private final ObjectNode root;
    private final Deque<String> resolving = new ArrayDeque<>();

    private Interpolation(ObjectNode root) {
        this.root = root;
    }

    static void resolveAll(ObjectNode root) {
        Interpolation interpolation = new Interpolation(root);
        interpolation.resolveChildren(root, "");
    }

    private void resolveChildren(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                object.set(entry.getKey(), resolve(entry.getValue(), childPath));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolve(array.get(i), path + "[" + i + "]"));
            }
        }
    }

    private JsonNode resolve(JsonNode node, String path) {
        if (!node.isTextual()) {
            resolveChildren(node, path);
            return node;
        }
        String text = node.textValue();
        Matcher whole = REFERENCE.matcher(text);
        if (whole.matches()) {
            return lookup(whole.group(1), path).deepCopy();
        }
        Matcher matcher = REFERENCE.matcher(text);
        if (!matcher.find()) {
            return node;
        }
        StringBuilder out = new StringBuilder();
        matcher.reset();
        while (matcher.find()) {
            JsonNode value = lookup(matcher.group(1), path);
            if (!value.isValueNode()) {
                throw new EvalConfigException("${" + matcher.group(1) + "} at " + path
                        + " refers to a mapping or list inside a longer string");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private JsonNode lookup(String reference, String path) {
        if (reference.contains(":")) {
            throw new EvalConfigException("unsupported resolver ${" + reference + "} at " + path);
        }
        if (resolving.contains(reference)) {
            throw new EvalConfigException("circular reference ${" + reference + "} at " + path);
        }
        JsonNode parent = root;
        JsonNode node = root;
        String lastKey = null;
        for (String key : reference.split("\\.")) {
            parent = node;
            node = node.get(key);
            lastKey = key;
            if (node == null) {
                throw new EvalConfigException("${" + reference + "} at " + path + " refers to a missing key");
            }
        }
        resolving.push(reference);
        try {
            JsonNode resolved = resolve(node, reference);
            ((ObjectNode) parent).set(lastKey, resolved);
            return resolved;
        } finally {
            resolving.pop();
        }
    }
}
