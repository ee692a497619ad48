package dev.kopi.eval.metrics.ifeval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.metrics.PyRegex;
import dev.kopi.eval.metrics.PyText;

/**
 * SEA-IFEval's instruction checkers (SEA-HELM's {@code instruction_checkers.py}): whether a response follows one
 * verifiable instruction, given the instruction id ({@code category:subcategory}), the task language and the
 * instruction's arguments from the dataset row. Each check is the definition SEA-HELM documents, including where it
 * departs from Google's IFEval (sentences and paragraphs are separated by {@code ***}, placeholders must not be
 * empty, bullets need a space after the marker, and so on).
 */
public final class Instructions {
    /** The 21 instruction ids of SEA-IFEval. */
    public static final Set<String> IDS = Set.of(
            "length_constraints:number_words", "length_constraints:number_sentences", "length_constraints:number_paragraphs",
            "detectable_content:postscript", "detectable_content:number_placeholders",
            "detectable_format:title", "detectable_format:number_bullet_lists", "detectable_format:multiple_sections",
            "detectable_format:number_highlighted_sections", "detectable_format:json_format",
            "detectable_format:constrained_response",
            "startend:first_word", "startend:end_checker", "startend:quotation",
            "keywords:existence", "keywords:forbidden_words", "keywords:frequency", "keywords:number_frequency",
            "combination:repeat_prompt", "combination:two_responses",
            "language:response_language");

    /** Languages written without spaces between words, for which SEA-HELM does not count words. */
    public static final Set<String> UNSPACED = Set.of("th", "lo", "km", "my");

    /** Languages whose keywords SEA-HELM matches as whole words ignoring case; the others match anywhere. */
    private static final Set<String> WORD_BOUNDED = Set.of("en", "id", "vi", "jv", "su", "ms");
    private static final Set<String> UNBOUNDED = Set.of("my", "ta", "tl", "th", "lo", "km");

    private static final Map<String, String> POSTSCRIPTS = Map.of(
            "P.S.", "\\s*p\\.\\s?s\\..*$",
            "P.P.S.", "\\s*p\\.\\s?p\\.\\s?s\\..*$",
            "ป.ล.", "\\s*ป\\.\\s?ล\\..*$",
            "ป.ป.ล.", "\\s*ป\\.\\s?ป\\.\\s?ล\\..*$",
            "பி.கு.", "\\s*பி\\.\\s?கு\\..*$",
            "பி.பி.கு.", "\\s*பி\\.\\s?பி\\.\\s?கு\\..*$",
            "ປ.ລ.", "\\s*ປ\\.\\s?ລ\\..*$");

    private static final Map<String, List<String>> CONSTRAINED_OPTIONS = Map.ofEntries(
            Map.entry("en", List.of("My answer is yes.", "My answer is no.", "My answer is maybe.")),
            Map.entry("id", List.of("Jawaban saya adalah ya.", "Jawaban saya adalah tidak.", "Jawaban saya adalah mungkin.")),
            Map.entry("vi", List.of("Câu trả lời của tôi là có.", "Câu trả lời của tôi là không.", "Câu trả lời của tôi là có thể.")),
            Map.entry("tl", List.of("Ang sagot ko ay oo.", "Ang sagot ko ay hindi.", "Ang sagot ko ay siguro.")),
            Map.entry("th", List.of("คำตอบของฉันคือใช่", "คำตอบของฉันคือไม่", "คำตอบของฉันคืออาจจะ")),
            Map.entry("jv", List.of("Jawabanku ya.", "Jawabanku ora.", "Jawabanku mungkin.")),
            Map.entry("su", List.of("Jawapan abdi enya.", "Jawapan abdi henteu.", "Jawapan abdi meureun.")),
            Map.entry("ta", List.of("என்னுடைய பதில் ஆம்.", "என்னுடைய பதில் இல்லை.", "என்னுடைய பதில் ஒருவேளை இருக்கலாம்.")),
            Map.entry("ms", List.of("Jawapan saya ialah ya.", "Jawapan saya ialah tidak.", "Jawapan saya ialah mungkin.")),
            Map.entry("my", List.of("ကျွန်ုပ်၏အဖြေသည် ဟုတ်ပါတယ်။", "ကျွန်ုပ်၏အဖြေသည် မဟုတ်ပါ။", "ကျွန်ုပ်၏အဖြေသည် တစ်ချို့ဖြစ်နိုင်ပါတယ်။")),
            Map.entry("lo", List.of("ຄໍາຕອບຂອງຂ້ອຍແມ່ນຈິງ.", "ຄໍາຕອບຂອງຂ້ອຍແມ່ນບໍ່ຈິງ.", "ຄໍາຕອບຂອງຂ້ອຍແມ່ນອາດຈະຈິງ.")),
            Map.entry("km", List.of("ខ្ញុំយល់ស្រប។", "ខ្ញុំមិនយល់ស្រប។", "ខ្ញុំមិនច្បាស់ដែរ។")));

    private static final Pattern WORDS = PyRegex.compile("\\w+", false, false);
    private static final Pattern PARAGRAPH_DIVIDER = PyRegex.compile("\\s?\\*\\*\\*\\s?", false, false);
    private static final Pattern PLACEHOLDER = PyRegex.compile("\\[.*?\\]", false, false);
    private static final Pattern HIGHLIGHT = PyRegex.compile("\\*[^\\n\\*]*\\*", false, false);
    private static final Pattern DOUBLE_HIGHLIGHT = PyRegex.compile("\\*\\*[^\\n\\*]*\\*\\*", false, false);
    private static final Pattern ASTERISK_BULLET = PyRegex.compile("^\\s*\\* \\*?\\*?[^\\*\\n\\s].*$", false, true);
    private static final Pattern HYPHEN_BULLET = PyRegex.compile("^\\s*- \\*?\\*?[^\\*\\n\\s].*$", false, true);
    private static final Pattern TITLE = PyRegex.compile("<<[^\\n]+>>", false, false);

    /** Python's {@code json.loads}: one JSON value and nothing after it; NaN and Infinity allowed. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final LanguageIdentifier languages;

    public Instructions(LanguageIdentifier languages) {
        this.languages = languages;
    }

    /**
     * Whether {@code response} follows instruction {@code id} in task language {@code language}.
     *
     * @param args the instruction's arguments (SEA-HELM passes the row's {@code kwargs[0]} without its null values)
     * @throws EvalConfigException for an unknown instruction, relation or marker (SEA-HELM stops on those too)
     */
    public boolean follows(String id, String language, String response, JsonNode args) {
        return switch (id) {
            case "length_constraints:number_words" -> {
                if (UNSPACED.contains(language)) {
                    throw new EvalConfigException("SEA-IFEval does not count words in " + language);
                }
                yield compare(count(WORDS, response), args, "num_words");
            }
            case "length_constraints:number_sentences" -> compare(sentences(response), args, "num_sentences");
            case "length_constraints:number_paragraphs" -> paragraphs(response) == integer(args, "num_paragraphs");
            case "detectable_content:number_placeholders" -> placeholders(response) >= integer(args, "num_placeholders");
            case "detectable_content:postscript" -> postscript(response, text(args, "postscript_marker"));
            case "detectable_format:title" -> hasTitle(response);
            case "detectable_format:number_bullet_lists" ->
                    count(ASTERISK_BULLET, response) + count(HYPHEN_BULLET, response) == integer(args, "num_bullets");
            case "detectable_format:multiple_sections" -> count(PyRegex.compile(
                    "\\b" + text(args, "section_title") + "\\s+[\\d|\\w]+\\b", false, false), response) == integer(args, "num_sections");
            case "detectable_format:number_highlighted_sections" -> highlights(response) >= integer(args, "num_highlights");
            case "detectable_format:json_format" -> isJson(response);
            case "detectable_format:constrained_response" -> constrained(response, language);
            case "startend:first_word" -> PyText.lower(PyText.strip(response)).startsWith(PyText.lower(text(args, "first_word")));
            case "startend:end_checker" -> PyText.lower(PyText.strip(response)).endsWith(PyText.lower(text(args, "end_phrase")));
            case "startend:quotation" -> quoted(response);
            case "keywords:existence" -> allPresent(response, language, strings(args, "keywords"), true);
            case "keywords:forbidden_words" -> allPresent(response, language, strings(args, "forbidden_words"), false);
            case "keywords:frequency" -> compare(keywordCount(response, language, text(args, "keyword")), args, "frequency");
            case "keywords:number_frequency" -> compare(count(PyRegex.compile(text(args, "number"), false, false), response), args, "frequency");
            case "combination:repeat_prompt" -> repeatsPrompt(response, text(args, "prompt_to_repeat"));
            case "combination:two_responses" -> twoResponses(response);
            case "language:response_language" -> inLanguage(response.replace("\n", " "), text(args, "response_language"));
            default -> throw new EvalConfigException("unknown SEA-IFEval instruction " + id);
        };
    }

    /** The response checker's rule: Indonesian also accepts Malay; any other language must be the one named. */
    private boolean inLanguage(String text, String wanted) {
        return languages.isOneOf(text, wanted.equals("id") ? Set.of("id", "ms") : Set.of(wanted));
    }

    /** Sentences are the non-blank pieces between {@code ***} dividers, after stripping outer asterisks. */
    static int sentences(String text) {
        int n = 0;
        for (String piece : splitLiteral(PyText.strip(text, "*"), "***")) {
            if (!PyText.strip(piece).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Paragraphs are the non-blank blocks between {@code ***} dividers (an optional space on either side belongs to the divider). */
    static int paragraphs(String text) {
        int n = 0;
        for (String block : PARAGRAPH_DIVIDER.split(text, -1)) {
            if (!PyText.strip(block).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Square-bracketed spans on one line that hold more than brackets and spaces. */
    static int placeholders(String text) {
        int n = 0;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PyText.strip(PyText.strip(PyText.strip(m.group(), "["), "]")).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static boolean postscript(String response, String marker) {
        String pattern = POSTSCRIPTS.get(marker);
        if (pattern == null) {
            throw new EvalConfigException("unknown SEA-IFEval postscript marker " + marker);
        }
        return PyRegex.compile(pattern, false, true).matcher(PyText.lower(response)).find();
    }

    private static boolean hasTitle(String response) {
        Matcher m = TITLE.matcher(response);
        while (m.find()) {
            String title = m.group();
            int start = 0;
            while (start < title.length() && title.charAt(start) == '<') {
                start++;
            }
            int end = title.length();
            while (end > start && title.charAt(end - 1) == '>') {
                end--;
            }
            if (!PyText.strip(title.substring(start, end)).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Single- and double-asterisk spans with content; a {@code **bold**} span counts twice, as in SEA-HELM. */
    static int highlights(String text) {
        return nonBlankBetweenAsterisks(HIGHLIGHT, text) + nonBlankBetweenAsterisks(DOUBLE_HIGHLIGHT, text);
    }

    private static int nonBlankBetweenAsterisks(Pattern pattern, String text) {
        int n = 0;
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (!PyText.strip(PyText.strip(m.group(), "*")).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** The whole response is one JSON value, optionally in one Markdown code fence. */
    static boolean isJson(String response) {
        String text = PyText.strip(response);
        for (String fence : List.of("```json", "```Json", "```JSON", "```")) {
            if (text.startsWith(fence)) {
                text = text.substring(fence.length());
                if (text.endsWith("```")) {
                    text = text.substring(0, text.length() - 3);
                }
                text = PyText.strip(text);
                break;
            }
        }
        if (PyText.strip(text).isEmpty()) {
            return false;
        }
        try {
            JSON.readTree(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean constrained(String response, String language) {
        List<String> options = CONSTRAINED_OPTIONS.get(language);
        if (options == null) {
            throw new EvalConfigException("SEA-IFEval has no constrained answers for language " + language);
        }
        String text = PyText.strip(response);
        return options.stream().anyMatch(text::contains);
    }

    static boolean quoted(String response) {
        String text = PyText.strip(response);
        return text.startsWith("\"") && text.endsWith("\"") && !PyText.strip(PyText.strip(text, "\"")).isEmpty();
    }

    /** Every keyword present ({@code wanted}) or every keyword absent (not {@code wanted}). */
    private static boolean allPresent(String response, String language, List<String> keywords, boolean wanted) {
        for (String keyword : keywords) {
            Pattern pattern;
            if (WORD_BOUNDED.contains(language)) {
                pattern = PyRegex.compile("\\b" + keyword + "\\b", true, false);
            } else if (UNBOUNDED.contains(language)) {
                pattern = PyRegex.compile(keyword, false, false);
            } else {
                continue;  // SEA-HELM checks no keyword in other languages
            }
            if (pattern.matcher(response).find() != wanted) {
                return false;
            }
        }
        return true;
    }

    private static int keywordCount(String response, String language, String keyword) {
        String pattern;
        if (WORD_BOUNDED.contains(language)) {
            pattern = "\\b" + keyword + "\\b";
        } else if (UNBOUNDED.contains(language)) {
            pattern = keyword;
        } else {
            throw new EvalConfigException("SEA-IFEval counts no keywords in language " + language);
        }
        return count(PyRegex.compile(pattern, true, false), response);
    }

    private static boolean repeatsPrompt(String response, String prompt) {
        String text = PyText.lower(PyText.strip(response));
        String repeated = PyText.lower(PyText.strip(prompt));
        return text.startsWith(repeated) && !PyText.strip(text.substring(repeated.length())).isEmpty();
    }

    static boolean twoResponses(String response) {
        int n = 0;
        for (String part : splitLiteral(PyText.strip(response), "******")) {
            if (!PyText.strip(PyText.strip(part), PyText.ASCII_PUNCTUATION).isEmpty()) {
                n++;
            }
        }
        return n == 2;
    }

    /** SEA-HELM's comparison of a count with the row's {@code relation} and threshold. */
    private static boolean compare(int count, JsonNode args, String thresholdField) {
        int threshold = integer(args, thresholdField);
        String relation = text(args, "relation");
        return switch (relation) {
            case "exactly" -> count == threshold;
            case "at least" -> count >= threshold;
            case "less than" -> count < threshold;
            default -> throw new EvalConfigException(relation + " is not a valid comparison relation");
        };
    }

    private static int count(Pattern pattern, String text) {
        int n = 0;
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Python's {@code str.split(separator)}: every piece, empty ones included. */
    static List<String> splitLiteral(String text, String separator) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, start)) {
            pieces.add(text.substring(start, at));
            start = at + separator.length();
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    private static JsonNode required(JsonNode args, String field) {
        JsonNode value = args.get(field);
        if (value == null || value.isNull()) {
            throw new EvalConfigException("SEA-IFEval instruction needs argument '" + field + "'");
        }
        return value;
    }

    /** Python's {@code int(value)} of a number or numeric string (parquet stores counts as floats when a column has nulls). */
    private static int integer(JsonNode args, String field) {
        JsonNode value = required(args, field);
        try {
            return value.isNumber() ? (int) value.asDouble() : Integer.parseInt(PyText.strip(value.asText()));
        } catch (NumberFormatException e) {
            throw new EvalConfigException("SEA-IFEval argument '" + field + "' is not a number: " + value);
        }
    }

    private static String text(JsonNode args, String field) {
        return required(args, field).asText();
    }

    private static List<String> strings(JsonNode args, String field) {
        JsonNode value = required(args, field);
        if (!value.isArray()) {
            throw new EvalConfigException("SEA-IFEval argument '" + field + "' must be a list, got " + value);
        }
        List<String> list = new ArrayList<>();
        value.forEach(v -> list.add(v.asText()));
        return list;
    }
}
