package dev.kopi.template;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

import dev.kopi.template.jinja.Py;

/** Renders a template with kopi and with Jinja2 and says whether (and how) they differ. */
final class Parity {
    private static final Clock FIXED = Clock.fixed(Jinja2Oracle.NOW.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    /** kopi's result: the output, or the exception it raised. */
    record Outcome(String output, RuntimeException error) {}

    private Parity() {}

    static Outcome kopi(String template, Map<String, ?> variables) {
        try {
            return new Outcome(ChatTemplate.parse(template).withClock(FIXED).render(variables), null);
        } catch (TemplateException e) {
            return new Outcome(null, e);
        }
    }

    /** Null if kopi matches Jinja2 (same bytes, or both raising, with the same message for raise_exception). */
    static String difference(String template, Map<String, ?> variables) {
        Jinja2Oracle.Result expected = Jinja2Oracle.get().render(template, variables);
        Outcome actual = kopi(template, variables);
        if (expected.failed()) {
            if (actual.error() == null) {
                return "Jinja2 raised " + expected.errorType() + ": " + expected.errorMessage()
                        + " but kopi rendered:\n" + actual.output();
            }
            boolean raised = expected.errorType().equals("TemplateError");
            if (raised && !(actual.error() instanceof TemplateRaisedException r
                    && r.templateMessage().equals(expected.errorMessage()))) {
                return "Jinja2 raised_exception(" + expected.errorMessage() + ") but kopi: " + actual.error().getMessage();
            }
            return null;
        }
        if (actual.error() != null) {
            return "kopi raised " + actual.error().getMessage() + " but Jinja2 rendered:\n" + expected.output();
        }
        if (!expected.output().equals(actual.output())) {
            return "outputs differ at char " + firstDifference(expected.output(), actual.output())
                    + "\n--- Jinja2:\n" + expected.output() + "\n--- kopi:\n" + actual.output();
        }
        return null;
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i + " (Jinja2 " + excerpt(a, i) + ", kopi " + excerpt(b, i) + ")";
    }

    private static String excerpt(String s, int at) {
        return Py.repr(s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 20)));
    }
}
