package dev.kopi.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Builds the pipeline stages from their tokenizer.json configurations. */
final class Stages {
    private Stages() {}

    static Normalizer normalizer(JsonNode node) {
        if (node == null || node.isNull()) {
            return Normalizer.NONE;
        }
        String type = type(node, "normalizer");
        return switch (type) {
            case "NFC" -> new Normalizer.UnicodeForm(java.text.Normalizer.Form.NFC);
            case "NFD" -> new Normalizer.UnicodeForm(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new Normalizer.UnicodeForm(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new Normalizer.UnicodeForm(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Normalizer.Lowercase();
            case "Prepend" -> new Normalizer.Prepend(required(node, "prepend", "Prepend normalizer"));
            case "Replace" -> {
                String content = required(node, "content", "Replace normalizer");
                JsonNode pattern = node.path("pattern");
                if (pattern.has("String")) {
                    yield new Normalizer.Replace(pattern.get("String").asText(), content);
                }
                if (pattern.has("Regex")) {
                    yield new Normalizer.RegexReplace(regex(pattern.get("Regex").asText()), content);
                }
                throw new TokenizerFormatException("Replace normalizer has no String or Regex pattern");
            }
            case "Sequence" -> {
                List<Normalizer> stages = new ArrayList<>();
                for (JsonNode child : array(node, "normalizers")) {
                    stages.add(normalizer(child));
                }
                yield new Normalizer.Sequence(List.copyOf(stages));
            }
            default -> throw unsupported("normalizer", type);
        };
    }

    static PreTokenizer preTokenizer(JsonNode node) {
        if (node == null || node.isNull()) {
            return PreTokenizer.WHOLE;
        }
        String type = type(node, "pre_tokenizer");
        return switch (type) {
            case "Sequence" -> {
                List<PreTokenizer> stages = new ArrayList<>();
                for (JsonNode child : array(node, "pretokenizers")) {
                    PreTokenizer stage = preTokenizer(child);
                    if (stage != PreTokenizer.WHOLE) { // leaves each piece as it is
                        stages.add(stage);
                    }
                }
                yield switch (stages.size()) {
                    case 0 -> PreTokenizer.WHOLE;
                    case 1 -> stages.getFirst();
                    default -> new PreTokenizer.Sequence(List.copyOf(stages));
                };
            }
            case "ByteLevel" -> {
                if (node.path("add_prefix_space").asBoolean(false)) {
                    throw new TokenizerFormatException("ByteLevel pre-tokenizer with add_prefix_space is not supported");
                }
                // The byte mapping itself is done by the BPE model (see Bpe); with use_regex it also splits
                // with GPT-2's pattern.
                yield node.path("use_regex").asBoolean(true) ? Split.isolated(RegexMatcher.oniguruma(GPT2_PATTERN))
                        : PreTokenizer.WHOLE;
            }
            case "Split" -> {
                JsonNode pattern = node.path("pattern");
                PreTokenizer.Matcher matcher;
                if (pattern.has("String")) {
                    matcher = RegexMatcher.literal(pattern.get("String").asText());
                } else if (pattern.has("Regex")) {
                    String regex = pattern.get("Regex").asText();
                    GptSplitPattern scanner = GptSplitPattern.forRegex(regex);
                    matcher = scanner != null ? scanner : RegexMatcher.oniguruma(regex);
                } else {
                    throw new TokenizerFormatException("Split pre-tokenizer has no String or Regex pattern");
                }
                yield new Split(matcher, behavior(node, null), node.path("invert").asBoolean(false));
            }
            // Hugging Face's char::is_numeric: the general categories Nd, Nl and No.
            case "Digits" -> new Split(new CodePointMatcher(cp -> isNumber(Character.getType(cp))),
                    node.path("individual_digits").asBoolean(false) ? Split.Behavior.ISOLATED : Split.Behavior.CONTIGUOUS,
                    false);
            // ASCII punctuation (symbols included) and the Unicode punctuation categories (P*).
            case "Punctuation" -> new Split(new CodePointMatcher(cp -> cp < 0x80 ? isAsciiPunctuation(cp)
                    : isPunctuation(Character.getType(cp))), behavior(node, Split.Behavior.ISOLATED), false);
            default -> throw unsupported("pre_tokenizer", type);
        };
    }

    private static Split.Behavior behavior(JsonNode node, Split.Behavior absent) {
        String behavior = node.path("behavior").asText("");
        return switch (behavior) {
            case "Removed" -> Split.Behavior.REMOVED;
            case "Isolated" -> Split.Behavior.ISOLATED;
            case "MergedWithPrevious" -> Split.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> Split.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> Split.Behavior.CONTIGUOUS;
            case "" -> {
                if (absent == null) {
                    throw new TokenizerFormatException(node.path("type").asText() + " pre-tokenizer has no behavior");
                }
                yield absent;
            }
            default -> throw unsupported("Split behavior", behavior);
        };
    }

    private static boolean isNumber(int type) {
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    private static boolean isAsciiPunctuation(int cp) {
        return cp >= '!' && cp <= '/' || cp >= ':' && cp <= '@' || cp >= '[' && cp <= '`' || cp >= '{' && cp <= '~';
    }

    private static boolean isPunctuation(int type) {
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    /** GPT-2's split pattern, used by a ByteLevel pre-tokenizer with use_regex. */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Whether the pre-tokenizer maps bytes to GPT-2 characters (a ByteLevel stage anywhere in it). */
    static boolean isByteLevel(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if ("ByteLevel".equals(node.path("type").asText())) {
            return true;
        }
        for (JsonNode child : node.path("pretokenizers")) {
            if (isByteLevel(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a pre-tokenizer configuration does to text, as one line: its splitting stages in order, without the
     * settings that split nothing (a ByteLevel without regex, offsets trimming). Two configurations with the
     * same description give the same pieces; GGUF names pre-tokenizers by it (see {@link LlamaCppPre}).
     */
    static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        switch (node.path("type").asText()) {
            case "Sequence" -> {
                for (JsonNode child : node.path("pretokenizers")) {
                    String part = describe(child);
                    if (!part.isEmpty()) {
                        parts.add(part);
                    }
                }
            }
            case "ByteLevel" -> parts.add(node.path("use_regex").asBoolean(true) ? "ByteLevel(" + GPT2_PATTERN + ")" : "");
            case "Split" -> parts.add("Split(" + node.path("pattern") + ", " + node.path("behavior").asText()
                    + (node.path("invert").asBoolean(false) ? ", inverted)" : ")"));
            case "Digits" -> parts.add("Digits(" + node.path("individual_digits").asBoolean(false) + ")");
            default -> parts.add(node.path("type").asText() + node);
        }
        return String.join(" | ", parts.stream().filter(p -> !p.isEmpty()).toList());
    }

    static Decoder decoder(JsonNode node) {
        if (node == null || node.isNull()) {
            return Decoder.NONE;
        }
        String type = type(node, "decoder");
        return switch (type) {
            case "ByteLevel" -> new Decoder.ByteLevelDecoder();
            case "ByteFallback" -> new Decoder.ByteFallback();
            case "Fuse" -> new Decoder.Fuse();
            case "Strip" -> {
                String content = required(node, "content", "Strip decoder");
                if (content.length() != 1) {
                    throw new TokenizerFormatException("Strip decoder content must be one character");
                }
                yield new Decoder.Strip(content.charAt(0), node.path("start").asInt(0), node.path("stop").asInt(0));
            }
            case "Replace" -> {
                JsonNode pattern = node.path("pattern");
                if (!pattern.has("String")) {
                    throw new TokenizerFormatException("Replace decoder needs a String pattern");
                }
                yield new Decoder.Replace(pattern.get("String").asText(), required(node, "content", "Replace decoder"));
            }
            case "Sequence" -> {
                List<Decoder> stages = new ArrayList<>();
                for (JsonNode child : array(node, "decoders")) {
                    stages.add(decoder(child));
                }
                yield new Decoder.Sequence(List.copyOf(stages));
            }
            default -> throw unsupported("decoder", type);
        };
    }

    static PostProcessor postProcessor(JsonNode node) {
        if (node == null || node.isNull()) {
            return PostProcessor.NONE;
        }
        String type = type(node, "post_processor");
        return switch (type) {
            case "ByteLevel" -> PostProcessor.NONE;
            case "TemplateProcessing" -> template(node);
            case "Sequence" -> {
                List<PostProcessor> stages = new ArrayList<>();
                for (JsonNode child : array(node, "processors")) {
                    stages.add(postProcessor(child));
                }
                yield new PostProcessor.Sequence(List.copyOf(stages));
            }
            default -> throw unsupported("post_processor", type);
        };
    }

    /** The single-sequence template: the special tokens' ids before and after the sequence "A". */
    private static PostProcessor template(JsonNode node) {
        JsonNode specials = node.path("special_tokens");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean sawSequence = false;
        for (JsonNode piece : array(node, "single")) {
            if (piece.has("Sequence")) {
                sawSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.get("SpecialToken").path("id").asText();
                JsonNode ids = specials.path(name).path("ids");
                if (!ids.isArray() || ids.isEmpty()) {
                    throw new TokenizerFormatException("TemplateProcessing uses special token \"" + name
                            + "\" without ids in special_tokens");
                }
                for (JsonNode id : ids) {
                    (sawSequence ? suffix : prefix).add(id.asInt());
                }
            } else {
                throw new TokenizerFormatException("TemplateProcessing piece " + piece + " is not understood");
            }
        }
        return new PostProcessor.Template(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    private static java.util.regex.Pattern regex(String regex) {
        try {
            return java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new TokenizerFormatException("invalid regex " + regex, e);
        }
    }

    private static String type(JsonNode node, String stage) {
        if (!node.isObject() || !node.path("type").isTextual()) {
            throw new TokenizerFormatException(stage + " has no \"type\"");
        }
        return node.get("type").asText();
    }

    private static String required(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new TokenizerFormatException(what + " needs a string \"" + field + "\"");
        }
        return value.asText();
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new TokenizerFormatException(node.path("type").asText() + " needs an array \"" + field + "\"");
        }
        return value;
    }

    private static TokenizerFormatException unsupported(String stage, String type) {
        return new TokenizerFormatException(stage + " type \"" + type + "\" is not supported");
    }
}
