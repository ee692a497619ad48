package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;

import dev.kopi.template.TemplateSyntaxException;

/**
 * Splits template source into tokens the way Jinja2's lexer does with the settings Hugging Face uses
 * ({@code trim_blocks=True, lstrip_blocks=True}): newlines normalised to {@code \n}, one trailing newline dropped,
 * {@code -} and {@code +} whitespace control on tags, and {@code {% raw %}} blocks kept verbatim.
 */
final class Lexer {
    enum Kind { TEXT, BLOCK_BEGIN, BLOCK_END, VARIABLE_BEGIN, VARIABLE_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    record Token(Kind kind, String value, int offset) {
        boolean is(Kind k, String v) {
            return kind == k && value.equals(v);
        }

        boolean isName(String v) {
            return is(Kind.NAME, v);
        }

        boolean isOperator(String v) {
            return is(Kind.OPERATOR, v);
        }
    }

    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">",
        "=", ".", ":", "|", ",", ";",
    };

    private final String source;
    private final SourceMap positions;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.source = source;
        this.positions = new SourceMap(source);
    }

    /** Normalises newlines and drops one trailing newline, as Jinja2 does before lexing. */
    static String normalize(String source) {
        String unified = source.replace("\r\n", "\n").replace('\r', '\n');
        return unified.endsWith("\n") ? unified.substring(0, unified.length() - 1) : unified;
    }

    static List<Token> tokenize(String normalizedSource) {
        Lexer lexer = new Lexer(normalizedSource);
        lexer.run();
        return lexer.tokens;
    }

    private TemplateSyntaxException error(String message, int offset) {
        return positions.error(message, offset);
    }

    private void run() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                tokens.add(new Token(Kind.TEXT, source.substring(pos), pos));
                break;
            }
            char type = source.charAt(tag + 1);
            char control = tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            String text = source.substring(pos, tag);
            if (control == '-') {
                text = Strings.rstrip(text, null);
            } else if (control != '+' && type != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                        && Strings.isAllWhitespace(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            if (!text.isEmpty()) {
                tokens.add(new Token(Kind.TEXT, text, pos));
            }
            int inner = tag + 2 + (control == '-' || control == '+' ? 1 : 0);
            switch (type) {
                case '#' -> comment(tag, inner);
                case '%' -> {
                    if (!rawBlock(tag, inner)) {
                        tag(tag, inner, Kind.BLOCK_BEGIN, Kind.BLOCK_END, '%');
                    }
                }
                default -> tag(tag, inner, Kind.VARIABLE_BEGIN, Kind.VARIABLE_END, '}');
            }
        }
        tokens.add(new Token(Kind.EOF, "", source.length()));
    }

    private int nextTagStart(int from) {
        for (int i = source.indexOf('{', from); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Moves past a tag's closing delimiter at {@code end}, applying {@code -} stripping or trim_blocks. */
    private void closeTag(int end, boolean minus, boolean trimNewline) {
        pos = end;
        if (minus) {
            while (pos < source.length() && Strings.isWhitespace(source.charAt(pos))) {
                pos++;
            }
        } else if (trimNewline && pos < source.length() && source.charAt(pos) == '\n') {
            pos++;
        }
        lineStarting = pos > 0 && source.charAt(pos - 1) == '\n';
    }

    private void comment(int tag, int inner) {
        int close = source.indexOf("#}", inner);
        if (close < 0) {
            throw error("unclosed comment", tag);
        }
        boolean minus = close > inner && source.charAt(close - 1) == '-';
        boolean plus = close > inner && source.charAt(close - 1) == '+';
        closeTag(close + 2, minus, !plus);
    }

    /** Handles {@code {% raw %}...{% endraw %}}; returns false if the tag is something else. */
    private boolean rawBlock(int tag, int inner) {
        int i = skipSpaces(inner);
        if (!source.startsWith("raw", i)) {
            return false;
        }
        int afterName = skipSpaces(i + 3);
        boolean minus = source.startsWith("-%}", afterName);
        if (!minus && !source.startsWith("%}", afterName)) {
            return false;
        }
        int bodyStart = afterName + (minus ? 3 : 2);
        if (minus) {
            while (bodyStart < source.length() && Strings.isWhitespace(source.charAt(bodyStart))) {
                bodyStart++;
            }
        } else if (bodyStart < source.length() && source.charAt(bodyStart) == '\n') {
            bodyStart++;
        }
        for (int search = bodyStart; ; ) {
            int end = source.indexOf("{%", search);
            if (end < 0) {
                throw error("missing end of raw directive", tag);
            }
            boolean endMinus = end + 2 < source.length() && source.charAt(end + 2) == '-';
            int name = skipSpaces(end + 2 + (endMinus || (end + 2 < source.length() && source.charAt(end + 2) == '+') ? 1 : 0));
            if (source.startsWith("endraw", name)) {
                int close = skipSpaces(name + 6);
                boolean closeMinus = source.startsWith("-%}", close);
                if (closeMinus || source.startsWith("%}", close)) {
                    String body = source.substring(bodyStart, end);
                    if (endMinus) {
                        body = Strings.rstrip(body, null);
                    }
                    if (!body.isEmpty()) {
                        tokens.add(new Token(Kind.TEXT, body, bodyStart));
                    }
                    closeTag(close + (closeMinus ? 3 : 2), closeMinus, true);
                    return true;
                }
            }
            search = end + 2;
        }
    }

    private int skipSpaces(int i) {
        while (i < source.length() && Strings.isWhitespace(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private void tag(int tag, int inner, Kind begin, Kind end, char closer) {
        tokens.add(new Token(begin, "", tag));
        int depth = 0;
        int i = inner;
        while (true) {
            i = skipSpaces(i);
            if (i >= source.length()) {
                throw error(begin == Kind.BLOCK_BEGIN ? "unexpected end of template, expected '%}'"
                        : "unexpected end of template, expected '}}'", tag);
            }
            if (depth == 0) {
                boolean minus = source.charAt(i) == '-' && source.startsWith(closer + "}", i + 1);
                boolean plus = source.charAt(i) == '+' && source.startsWith(closer + "}", i + 1);
                if (minus || plus || source.startsWith(closer + "}", i)) {
                    tokens.add(new Token(end, "", i));
                    closeTag(i + (minus || plus ? 3 : 2), minus, end == Kind.BLOCK_END && !plus);
                    return;
                }
            }
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                i = string(i);
            } else if (Character.isDigit(c)) {
                i = number(i);
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Kind.NAME, source.substring(start, i), start));
            } else {
                String op = operatorAt(i);
                if (op == null) {
                    throw error("unexpected char '" + c + "'", i);
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    depth++;
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    if (depth == 0) {
                        throw error("unexpected '" + op + "'", i);
                    }
                    depth--;
                }
                tokens.add(new Token(Kind.OPERATOR, op, i));
                i += op.length();
            }
        }
    }

    private String operatorAt(int i) {
        for (String op : OPERATORS) {
            if (source.startsWith(op, i)) {
                return op;
            }
        }
        return null;
    }

    private int number(int start) {
        int i = digits(start);
        boolean isFloat = false;
        if (i + 1 < source.length() && source.charAt(i) == '.' && Character.isDigit(source.charAt(i + 1))) {
            isFloat = true;
            i = digits(i + 1);
        }
        if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < source.length() && (source.charAt(j) == '+' || source.charAt(j) == '-')) {
                j++;
            }
            if (j < source.length() && Character.isDigit(source.charAt(j))) {
                isFloat = true;
                i = digits(j);
            }
        }
        String text = source.substring(start, i).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, start));
        return i;
    }

    private int digits(int i) {
        while (i < source.length() && (Character.isDigit(source.charAt(i))
                || (source.charAt(i) == '_' && i + 1 < source.length() && Character.isDigit(source.charAt(i + 1))))) {
            i++;
        }
        return i;
    }

    /** A string literal with Python's escapes ({@code \n}, {@code \u00e9}, ...; unknown escapes kept as is). */
    private int string(int start) {
        char quote = source.charAt(start);
        StringBuilder out = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= source.length()) {
                throw error("unterminated string literal", start);
            }
            char c = source.charAt(i);
            if (c == quote) {
                break;
            }
            if (c != '\\' || i + 1 >= source.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = source.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '\n' -> { }
                case 'x', 'u', 'U' -> {
                    int width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + width > source.length()) {
                        throw error("truncated \\" + e + " escape", i - 2);
                    }
                    try {
                        out.appendCodePoint(Integer.parseInt(source.substring(i, i + width), 16));
                    } catch (IllegalArgumentException ex) {
                        throw error("invalid \\" + e + " escape", i - 2);
                    }
                    i += width;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < source.length() && end < i + 2 && source.charAt(end) >= '0' && source.charAt(end) <= '7') {
                            end++;
                        }
                        out.append((char) Integer.parseInt(source.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        tokens.add(new Token(Kind.STRING, out.toString(), start));
        return i + 1;
    }
}
