package dev.kopi.template.jinja;

/**
 * A string marked safe ({@code |safe}). With autoescaping off it prints as is, but like MarkupSafe's {@code Markup}
 * it HTML-escapes plain strings concatenated to it with {@code +}.
 */
public record Markup(String text) {
    @Override
    public String toString() {
        return text;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&#39;");
                case '"' -> out.append("&#34;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
