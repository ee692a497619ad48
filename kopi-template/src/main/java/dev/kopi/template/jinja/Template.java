package dev.kopi.template.jinja;

import java.util.List;
import java.util.Map;

/** A parsed template: its syntax tree and the positions of its source, for error messages. Immutable. */
public final class Template {
    private final List<Node> body;
    private final SourceMap positions;

    private Template(List<Node> body, SourceMap positions) {
        this.body = body;
        this.positions = positions;
    }

    /**
     * Parses Jinja source; throws {@link dev.kopi.template.TemplateSyntaxException} with line and column, also for
     * unknown filters and tests (Jinja2 rejects those when it compiles the template).
     */
    public static Template parse(String source) {
        String normalized = Lexer.normalize(source);
        SourceMap positions = new SourceMap(normalized);
        List<Node> body = Parser.parse(normalized);
        References.checkNames(body, positions);
        return new Template(body, positions);
    }

    /** Renders with {@code variables}, which must already be Python-like values (see {@link Py#fromJava}). */
    public String render(Map<String, Object> variables) {
        return Interpreter.render(this, variables);
    }

    List<Node> body() {
        return body;
    }

    SourceMap positions() {
        return positions;
    }
}
