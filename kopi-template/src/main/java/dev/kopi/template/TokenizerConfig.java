package dev.kopi.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chat template(s) and special tokens of a Hugging Face {@code tokenizer_config.json}. {@code chat_template}
 * is either one template or a list of named ones ({@code [{"name": "default", "template": ...}, {"name":
 * "tool_use", ...}]}); {@link #template(boolean)} picks among them as {@code apply_chat_template} does.
 *
 * @param templates     the templates by name; a single template is named "default"
 * @param specialTokens bos_token, eos_token, ... as strings (AddedToken objects reduced to their content)
 */
public record TokenizerConfig(Map<String, String> templates, Map<String, String> specialTokens) {
    private static final String[] SPECIAL_TOKENS = {
        "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
    };

    /** Reads {@code tokenizer_config.json}, or the one inside {@code path} if it is a folder. */
    public static TokenizerConfig read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer_config.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new TemplateException("no tokenizer_config.json at " + path);
        }
        return of(JsonValues.read(file), file.toString());
    }

    /** Interprets parsed tokenizer_config.json content; {@code what} names it in error messages. */
    public static TokenizerConfig of(Object json, String what) {
        if (!(json instanceof Map<?, ?> config)) {
            throw new TemplateException(what + " is not a JSON object");
        }
        Map<String, String> templates = new LinkedHashMap<>();
        Object chatTemplate = config.get("chat_template");
        if (chatTemplate instanceof String s) {
            templates.put("default", s);
        } else if (chatTemplate instanceof java.util.List<?> list) {
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> named) || !(named.get("name") instanceof String name)
                        || !(named.get("template") instanceof String template)) {
                    throw new TemplateException(what + ": chat_template list entries need a \"name\" and a \"template\"");
                }
                templates.put(name, template);
            }
        } else if (chatTemplate != null) {
            throw new TemplateException(what + ": chat_template must be a string or a list of named templates");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String name : SPECIAL_TOKENS) {
            Object token = config.get(name);
            if (token instanceof Map<?, ?> added && added.get("content") instanceof String content) {
                tokens.put(name, content);
            } else if (token instanceof String s) {
                tokens.put(name, s);
            }
        }
        return new TokenizerConfig(Map.copyOf(templates), Map.copyOf(tokens));
    }

    /**
     * The template {@code apply_chat_template} would use: "tool_use" when there are tools and such a template
     * exists, otherwise "default".
     */
    public ChatTemplate template(boolean withTools) {
        if (templates.isEmpty()) {
            throw new TemplateException("the tokenizer config has no chat_template");
        }
        String name = withTools && templates.containsKey("tool_use") ? "tool_use" : "default";
        String source = templates.get(name);
        if (source == null) {
            throw new TemplateException("the tokenizer config has no default chat template (it has "
                    + String.join(", ", templates.keySet()) + ")");
        }
        return ChatTemplate.parse(source);
    }

    /** A request for this tokenizer: the conversation with this config's special tokens. */
    public ChatRequest request(java.util.List<? extends Map<String, ?>> messages) {
        return ChatRequest.of(messages).withSpecialTokens(specialTokens);
    }
}
