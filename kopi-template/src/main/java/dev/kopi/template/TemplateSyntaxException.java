package dev.kopi.template;

/** The template source is not valid Jinja: reports the 1-based line and column and what the parser expected. */
public final class TemplateSyntaxException extends TemplateException {
    private final int line;
    private final int column;
    private final String detail;

    public TemplateSyntaxException(String detail, int line, int column) {
        super("template syntax error at line " + line + ", column " + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }
}
