package dev.kopi.template;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import dev.kopi.template.jinja.PyCallable;
import dev.kopi.template.jinja.Py;
import dev.kopi.template.jinja.Strftime;
import dev.kopi.template.jinja.Template;

/**
 * A Jinja chat template, rendered the way Hugging Face's {@code apply_chat_template} renders it (Jinja2 in an
 * immutable sandbox with {@code trim_blocks} and {@code lstrip_blocks}, plus {@code raise_exception},
 * {@code strftime_now} and a {@code tojson} filter that is plain {@code json.dumps}). Parse once, render often;
 * instances are immutable and thread-safe.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.parse(source);
 * String prompt = template.render(ChatRequest.of(messages).withKwarg("enable_thinking", false));
 * }</pre>
 */
public final class ChatTemplate {
    private final String source;
    private final Template template;
    private final Clock clock;

    private ChatTemplate(String source, Template template, Clock clock) {
        this.source = source;
        this.template = template;
        this.clock = clock;
    }

    /**
     * Parses template source.
     *
     * @throws TemplateSyntaxException with line, column and what was expected, if the source is not valid Jinja
     */
    public static ChatTemplate parse(String source) {
        return new ChatTemplate(source, Template.parse(source), Clock.systemDefaultZone());
    }

    /** This template with {@code strftime_now} reading {@code clock} (for reproducible prompts and tests). */
    public ChatTemplate withClock(Clock newClock) {
        return new ChatTemplate(source, template, newClock);
    }

    public String source() {
        return source;
    }

    /** Renders a chat request. */
    public String render(ChatRequest request) {
        return render(request.variables());
    }

    /**
     * Renders with arbitrary template variables (JSON-like Java values: String, Number, Boolean, List, Map,
     * null). {@code raise_exception} and {@code strftime_now} are provided unless {@code variables} defines them.
     *
     * @throws TemplateRaisedException if the template calls {@code raise_exception}
     * @throws TemplateException       for any other error while rendering, naming the template line
     */
    public String render(Map<String, ?> variables) {
        Map<String, Object> globals = new HashMap<>();
        globals.put("raise_exception", (PyCallable) (interpreter, args, kwargs) -> {
            throw new TemplateRaisedException(args.isEmpty() ? "" : Py.str(args.getFirst()));
        });
        globals.put("strftime_now", (PyCallable) (interpreter, args, kwargs) -> {
            if (args.size() != 1 || !kwargs.isEmpty()) {
                throw new TemplateException("strftime_now() takes exactly one argument, the format");
            }
            return Strftime.format(Py.str(args.getFirst()), ZonedDateTime.now(clock));
        });
        variables.forEach((name, value) -> globals.put(name, Py.fromJava(value)));
        try {
            return template.render(globals);
        } catch (StackOverflowError e) {
            throw new TemplateException("the template recursed too deeply");
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TemplateException("internal error while rendering the template: " + e, e);
        }
    }
}
