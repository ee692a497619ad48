package dev.kopi.eval.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Pulls the answer out of a response as SEA-HELM does: the first match of {@code answer_tag + suffix}, whose first
 * group is the answer; when nothing matches, the whole response. The pattern is compiled with Python's semantics
 * for {@code re}: Unicode {@code \s} and case folding, and {@code .} matching anything but {@code \n}.
 */
public final class AnswerExtractor {
    /** The suffix for generative tasks: the rest of the line after the tag (and any spaces, backticks or asterisks). */
    public static final String REST_OF_LINE = "[\\s\\r\\n`*]*(.*)";

    private final Pattern pattern;

    private AnswerExtractor(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Extraction of the rest of the line after {@code answerTag}. */
    public static AnswerExtractor restOfLine(String answerTag) {
        return compile(answerTag + REST_OF_LINE, 0);
    }

    /**
     * Extraction of one of {@code alternatives} (a regex alternation of labels) after {@code answerTag}, ignoring
     * case: SEA-HELM's {@code answer_tag[\s\*]*(label1|label2|...)+}.
     */
    public static AnswerExtractor labels(String answerTag, String alternatives) {
        return compile(answerTag + "[\\s\\*]*(" + alternatives + ")+", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * SEA-HELM's LINDSEA extraction {@code answer_tag[\s\*]*(label1|label2|...)*}: case-sensitive, and the group may
     * match nothing, in which case the whole response is the answer.
     */
    public static AnswerExtractor optionalLabels(String answerTag, String alternatives) {
        return compile(answerTag + "[\\s\\*]*(" + alternatives + ")*", 0);
    }

    private static AnswerExtractor compile(String regex, int flags) {
        try {
            return new AnswerExtractor(Pattern.compile(regex, flags | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("answer pattern " + regex + " is not a valid regular expression: " + e.getDescription(), e);
        }
    }

    /** The stripped answer, or the stripped whole response when the tag is absent. */
    public String extract(String response) {
        Matcher matcher = pattern.matcher(response);
        if (matcher.find() && matcher.group(1) != null) {
            return PyText.strip(matcher.group(1));
        }
        return PyText.strip(response);
    }
}
