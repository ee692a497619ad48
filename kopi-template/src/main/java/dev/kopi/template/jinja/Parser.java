package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.kopi.template.TemplateSyntaxException;
import dev.kopi.template.jinja.Lexer.Kind;
import dev.kopi.template.jinja.Lexer.Token;

/** A recursive-descent parser with Jinja2's grammar and operator precedence. */
final class Parser {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");

    private final List<Token> tokens;
    private final SourceMap positions;
    private int at;
    /** The block tags whose end the parser is looking for, innermost last, for "expected" messages. */
    private final List<String> openBlocks = new ArrayList<>();

    private Parser(List<Token> tokens, SourceMap positions) {
        this.tokens = tokens;
        this.positions = positions;
    }

    /** Parses normalised source (see {@link Lexer#normalize}) into its top-level nodes. */
    static List<Node> parse(String normalizedSource) {
        Parser parser = new Parser(Lexer.tokenize(normalizedSource), new SourceMap(normalizedSource));
        List<Node> body = parser.statements(Set.of());
        return body;
    }

    // ---- token helpers -------------------------------------------------------------------------------------------

    private Token current() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind() != Kind.EOF) {
            at++;
        }
        return t;
    }

    private boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            at++;
            return true;
        }
        return false;
    }

    private TemplateSyntaxException error(String message, Token token) {
        return positions.error(message, token.offset());
    }

    private static String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of template";
            case BLOCK_END -> "end of statement block";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case VARIABLE_BEGIN -> "begin of print statement";
            case TEXT -> "template data";
            case STRING -> "string " + Py.stringRepr(t.value());
            default -> "'" + t.value() + "'";
        };
    }

    private void expectOperator(String op) {
        if (!skipOperator(op)) {
            throw error("expected '" + op + "', got " + describe(current()), current());
        }
    }

    private void expectName(String name) {
        if (!skipName(name)) {
            throw error("expected '" + name + "', got " + describe(current()), current());
        }
    }

    private String expectIdentifier() {
        Token t = current();
        if (t.kind() != Kind.NAME) {
            throw error("expected a name, got " + describe(t), t);
        }
        at++;
        return t.value();
    }

    private void expectBlockEnd() {
        if (current().kind() != Kind.BLOCK_END) {
            throw error("expected end of statement block ('%}'), got " + describe(current()), current());
        }
        at++;
    }

    // ---- statements ------------------------------------------------------------------------------------------------

    /**
     * Parses nodes until a block tag whose name is in {@code endTags}; leaves the parser on that tag's name.
     * An empty set parses to the end of the template.
     */
    private List<Node> statements(Set<String> endTags) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = current();
            switch (t.kind()) {
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw error("unexpected end of template; expected " + expectedTags(endTags)
                                + " to close '" + openBlocks.getLast() + "'", t);
                    }
                    return body;
                }
                case TEXT -> {
                    body.add(new Node.Text(t.value(), t.offset()));
                    at++;
                }
                case VARIABLE_BEGIN -> {
                    at++;
                    Node expr = tuple(true, false);
                    if (current().kind() != Kind.VARIABLE_END) {
                        throw error("expected end of print statement ('}}'), got " + describe(current()), current());
                    }
                    at++;
                    body.add(new Node.Print(expr, t.offset()));
                }
                case BLOCK_BEGIN -> {
                    Token name = peek(1);
                    if (name.kind() == Kind.NAME && endTags.contains(name.value())) {
                        at++;
                        return body;
                    }
                    at++;
                    body.add(statement());
                }
                default -> throw error("unexpected " + describe(t), t);
            }
        }
    }

    private static String expectedTags(Set<String> tags) {
        return tags.stream().sorted().map(s -> "'" + s + "'").reduce((a, b) -> a + " or " + b).orElse("");
    }

    /** Parses a block until {@code end}, also stopping at the alternatives in {@code also}; returns the tag found. */
    private List<Node> block(String opener, Set<String> endTags) {
        openBlocks.add(opener);
        List<Node> body = statements(endTags);
        openBlocks.removeLast();
        return body;
    }

    private Node statement() {
        Token name = current();
        if (name.kind() != Kind.NAME) {
            throw error("expected a tag name, got " + describe(name), name);
        }
        at++;
        int offset = name.offset();
        return switch (name.value()) {
            case "if" -> ifStatement(offset);
            case "for" -> forStatement(offset);
            case "set" -> setStatement(offset);
            case "macro" -> macroStatement(offset);
            case "call" -> callBlock(offset);
            case "filter" -> filterBlock(offset);
            case "with" -> withStatement(offset);
            case "generation" -> {
                expectBlockEnd();
                List<Node> body = block("generation", Set.of("endgeneration"));
                endTag();
                yield new Node.Scope(body, offset);
            }
            case "break" -> {
                requireLoop(name);
                expectBlockEnd();
                yield new Node.Break(offset);
            }
            case "continue" -> {
                requireLoop(name);
                expectBlockEnd();
                yield new Node.Continue(offset);
            }
            case "extends", "include", "import", "from", "block" -> throw error("'" + name.value()
                    + "' is not supported in chat templates (they are rendered without a template loader)", name);
            default -> throw error("unknown tag '" + name.value() + "'"
                    + (openBlocks.isEmpty() ? "" : "; the innermost open block is '" + openBlocks.getLast() + "'"),
                    name);
        };
    }

    private void requireLoop(Token tag) {
        if (!openBlocks.contains("for")) {
            throw error("'" + tag.value() + "' outside of a loop", tag);
        }
    }

    /** Consumes the end tag's name and the closing '%}'. */
    private String endTag() {
        String tag = next().value();
        expectBlockEnd();
        return tag;
    }

    private Node ifStatement(int offset) {
        List<Node> conditions = new ArrayList<>();
        List<List<Node>> bodies = new ArrayList<>();
        List<Node> otherwise = List.of();
        conditions.add(tuple(false, false));
        expectBlockEnd();
        while (true) {
            bodies.add(block("if", Set.of("elif", "else", "endif")));
            String tag = next().value();
            if (tag.equals("elif")) {
                conditions.add(tuple(false, false));
                expectBlockEnd();
            } else if (tag.equals("else")) {
                expectBlockEnd();
                otherwise = block("if", Set.of("endif"));
                endTag();
                break;
            } else {
                expectBlockEnd();
                break;
            }
        }
        return new Node.If(conditions, bodies, otherwise, offset);
    }

    private Node forStatement(int offset) {
        Node target = assignTarget(false);
        expectName("in");
        Node iterable = tuple(false, true);
        Node condition = skipName("if") ? expression(true) : null;
        boolean recursive = skipName("recursive");
        expectBlockEnd();
        List<Node> body = block("for", Set.of("endfor", "else"));
        List<Node> otherwise = List.of();
        if (endTag().equals("else")) {
            otherwise = block("for", Set.of("endfor"));
            endTag();
        }
        return new Node.For(target, iterable, condition, body, otherwise, recursive, offset);
    }

    private Node setStatement(int offset) {
        Node target = assignTarget(true);
        if (skipOperator("=")) {
            Node value = tuple(true, false);
            expectBlockEnd();
            return new Node.Set(target, value, offset);
        }
        List<Node.FilterCall> filters = current().isOperator("|") ? filterChain() : List.of();
        expectBlockEnd();
        List<Node> body = block("set", Set.of("endset"));
        endTag();
        return new Node.SetBlock(target, filters, body, offset);
    }

    private Node macroStatement(int offset) {
        String name = expectIdentifier();
        List<String> parameters = new ArrayList<>();
        List<Node> defaults = new ArrayList<>();
        signature(parameters, defaults);
        expectBlockEnd();
        List<Node> body = block("macro", Set.of("endmacro"));
        endTag();
        return new Node.Macro(name, parameters, defaults, body, offset);
    }

    private void signature(List<String> parameters, List<Node> defaults) {
        expectOperator("(");
        while (!current().isOperator(")")) {
            if (!parameters.isEmpty()) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            Token name = current();
            String parameter = expectIdentifier();
            if (skipOperator("=")) {
                defaults.add(expression(true));
            } else if (!defaults.isEmpty()) {
                throw error("non-default argument '" + parameter + "' follows default argument", name);
            }
            parameters.add(parameter);
        }
        at++;
    }

    private Node callBlock(int offset) {
        List<String> parameters = new ArrayList<>();
        List<Node> defaults = new ArrayList<>();
        if (current().isOperator("(")) {
            signature(parameters, defaults);
        }
        Token start = current();
        Node call = expression(true);
        if (!(call instanceof Node.Call c)) {
            throw error("expected a call after 'call'", start);
        }
        expectBlockEnd();
        List<Node> body = block("call", Set.of("endcall"));
        endTag();
        return new Node.CallBlock(c, parameters, defaults, body, offset);
    }

    private Node filterBlock(int offset) {
        List<Node.FilterCall> filters = new ArrayList<>();
        do {
            filters.add(filterCall());
        } while (skipOperator("|"));
        expectBlockEnd();
        List<Node> body = block("filter", Set.of("endfilter"));
        endTag();
        return new Node.FilterBlock(filters, body, offset);
    }

    private Node withStatement(int offset) {
        List<Node> targets = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOperator(",");
            }
            targets.add(assignTarget(false));
            expectOperator("=");
            values.add(expression(true));
        }
        expectBlockEnd();
        List<Node> body = block("with", Set.of("endwith"));
        endTag();
        return new Node.With(targets, values, body, offset);
    }

    /** An assignment target: a name, {@code ns.attribute} (if allowed) or a tuple of names. */
    private Node assignTarget(boolean allowNamespace) {
        Token first = current();
        if (allowNamespace && first.kind() == Kind.NAME && peek(1).isOperator(".") && peek(2).kind() == Kind.NAME) {
            at += 3;
            return new Node.GetAttr(new Node.Name(first.value(), first.offset()), peek(-1).value(), first.offset());
        }
        List<Node> names = new ArrayList<>();
        boolean parenthesized = skipOperator("(");
        boolean comma = false;
        do {
            if (!names.isEmpty() && (current().isName("in") || current().isOperator("=") || current().isOperator(")"))) {
                break;
            }
            Token t = current();
            if (t.kind() != Kind.NAME || Set.of("true", "false", "none", "True", "False", "None").contains(t.value())) {
                throw error("can't assign to " + describe(t), t);
            }
            at++;
            names.add(new Node.Name(t.value(), t.offset()));
        } while ((comma = skipOperator(",")) || false);
        if (parenthesized) {
            expectOperator(")");
        }
        return names.size() == 1 && !comma && !parenthesized ? names.getFirst()
                : new Node.TupleLiteral(names, first.offset());
    }

    // ---- expressions -----------------------------------------------------------------------------------------------

    /**
     * Comma-separated expressions (a tuple if there is a comma). {@code conditional} allows {@code a if b else c};
     * {@code stopAtRecursive} ends before the word {@code recursive} of a for loop.
     */
    private Node tuple(boolean conditional, boolean stopAtRecursive) {
        Token start = current();
        List<Node> items = new ArrayList<>();
        boolean comma = false;
        while (true) {
            if (!items.isEmpty()) {
                if (!skipOperator(",")) {
                    break;
                }
                comma = true;
            }
            if (tupleEnds(stopAtRecursive)) {
                break;
            }
            items.add(expression(conditional));
        }
        if (items.isEmpty()) {
            throw error("expected an expression, got " + describe(current()), current());
        }
        return items.size() == 1 && !comma ? items.getFirst() : new Node.TupleLiteral(items, start.offset());
    }

    private boolean tupleEnds(boolean stopAtRecursive) {
        Token t = current();
        return t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.EOF
                || t.isOperator(")") || t.isOperator("]") || t.isOperator("}")
                || (stopAtRecursive && (t.isName("recursive") || t.isName("if")));
    }

    private Node expression(boolean conditional) {
        return conditional ? conditional() : or();
    }

    private Node conditional() {
        Node value = or();
        while (current().isName("if")) {
            Token t = next();
            Node condition = or();
            Node otherwise = skipName("else") ? conditional() : null;
            value = new Node.Conditional(condition, value, otherwise, t.offset());
        }
        return value;
    }

    private Node or() {
        Node left = and();
        while (current().isName("or")) {
            Token t = next();
            left = new Node.Binary("or", left, and(), t.offset());
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (current().isName("and")) {
            Token t = next();
            left = new Node.Binary("and", left, not(), t.offset());
        }
        return left;
    }

    private Node not() {
        if (current().isName("not")) {
            Token t = next();
            return new Node.Unary("not", not(), t.offset());
        }
        return compare();
    }

    private Node compare() {
        Token start = current();
        Node first = math1();
        List<String> operators = new ArrayList<>();
        List<Node> operands = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.kind() == Kind.OPERATOR && COMPARISONS.contains(t.value())) {
                at++;
                operators.add(t.value());
            } else if (t.isName("in")) {
                at++;
                operators.add("in");
            } else if (t.isName("not") && peek(1).isName("in")) {
                at += 2;
                operators.add("not in");
            } else {
                break;
            }
            operands.add(math1());
        }
        return operators.isEmpty() ? first : new Node.Compare(first, operators, operands, start.offset());
    }

    private Node math1() {
        Node left = concat();
        while (current().isOperator("+") || current().isOperator("-")) {
            Token t = next();
            left = new Node.Binary(t.value(), left, concat(), t.offset());
        }
        return left;
    }

    private Node concat() {
        Node left = math2();
        while (current().isOperator("~")) {
            Token t = next();
            left = new Node.Binary("~", left, math2(), t.offset());
        }
        return left;
    }

    private Node math2() {
        Node left = pow();
        while (current().isOperator("*") || current().isOperator("/") || current().isOperator("//")
                || current().isOperator("%")) {
            Token t = next();
            left = new Node.Binary(t.value(), left, pow(), t.offset());
        }
        return left;
    }

    private Node pow() {
        Node left = unary(true);
        while (current().isOperator("**")) {
            Token t = next();
            left = new Node.Binary("**", left, unary(true), t.offset());
        }
        return left;
    }

    private Node unary(boolean withFilters) {
        Token t = current();
        Node node;
        if (t.isOperator("-") || t.isOperator("+")) {
            at++;
            node = new Node.Unary(t.value(), unary(false), t.offset());
        } else {
            node = primary();
        }
        node = postfix(node);
        return withFilters ? filterExpression(node) : node;
    }

    private Node primary() {
        Token t = next();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.value()) {
                    case "true", "True" -> new Node.Const(Boolean.TRUE, t.offset());
                    case "false", "False" -> new Node.Const(Boolean.FALSE, t.offset());
                    case "none", "None" -> new Node.Const(null, t.offset());
                    default -> new Node.Name(t.value(), t.offset());
                };
            }
            case STRING -> {
                StringBuilder s = new StringBuilder(t.value());
                while (current().kind() == Kind.STRING) {
                    s.append(next().value());
                }
                return new Node.Const(s.toString(), t.offset());
            }
            case INTEGER -> {
                return new Node.Const(Py.normalize(new java.math.BigInteger(t.value())), t.offset());
            }
            case FLOAT -> {
                return new Node.Const(Double.parseDouble(t.value()), t.offset());
            }
            case OPERATOR -> {
                switch (t.value()) {
                    case "(" -> {
                        if (skipOperator(")")) {
                            return new Node.TupleLiteral(List.of(), t.offset());
                        }
                        Node inner = tuple(true, false);
                        expectOperator(")");
                        return inner;
                    }
                    case "[" -> {
                        List<Node> items = new ArrayList<>();
                        while (!current().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                                if (current().isOperator("]")) {
                                    break;
                                }
                            }
                            items.add(expression(true));
                        }
                        at++;
                        return new Node.ListLiteral(items, t.offset());
                    }
                    case "{" -> {
                        List<Node> keys = new ArrayList<>();
                        List<Node> values = new ArrayList<>();
                        while (!current().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expectOperator(",");
                                if (current().isOperator("}")) {
                                    break;
                                }
                            }
                            keys.add(expression(true));
                            expectOperator(":");
                            values.add(expression(true));
                        }
                        at++;
                        return new Node.DictLiteral(keys, values, t.offset());
                    }
                    default -> { }
                }
            }
            default -> { }
        }
        throw error("unexpected " + describe(t) + ", expected an expression", t);
    }

    private Node postfix(Node node) {
        while (true) {
            Token t = current();
            if (t.isOperator(".") || t.isOperator("[")) {
                node = subscript(node);
            } else if (t.isOperator("(")) {
                node = new Node.Call(node, callArguments(), t.offset());
            } else {
                return node;
            }
        }
    }

    private Node filterExpression(Node node) {
        while (true) {
            Token t = current();
            if (t.isOperator("|")) {
                at++;
                node = new Node.Filter(node, filterCall(), t.offset());
            } else if (t.isName("is")) {
                at++;
                node = test(node, t);
            } else if (t.isOperator("(")) {
                node = new Node.Call(node, callArguments(), t.offset());
            } else {
                return node;
            }
        }
    }

    private List<Node.FilterCall> filterChain() {
        List<Node.FilterCall> filters = new ArrayList<>();
        while (skipOperator("|")) {
            filters.add(filterCall());
        }
        return filters;
    }

    private Node.FilterCall filterCall() {
        Token t = current();
        String name = dottedName();
        Node.Arguments args = current().isOperator("(") ? callArguments() : Node.Arguments.NONE;
        return new Node.FilterCall(name, args, t.offset());
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(expectIdentifier());
        while (current().isOperator(".") && peek(1).kind() == Kind.NAME) {
            at++;
            name.append('.').append(next().value());
        }
        return name.toString();
    }

    private Node test(Node target, Token is) {
        boolean negated = skipName("not");
        String name = dottedName();
        Node.Arguments args = Node.Arguments.NONE;
        Token t = current();
        if (t.isOperator("(")) {
            args = callArguments();
        } else if ((t.kind() == Kind.NAME && !Set.of("else", "or", "and").contains(t.value()))
                || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER || t.kind() == Kind.FLOAT
                || t.isOperator("[") || t.isOperator("{")) {
            if (t.isName("is")) {
                throw error("you cannot chain multiple tests with 'is'", t);
            }
            Node argument = postfix(primary());
            args = new Node.Arguments(List.of(argument), List.of(), List.of(), null, null);
        }
        return new Node.Test(target, name, args, negated, is.offset());
    }

    private Node subscript(Node target) {
        Token t = next();
        if (t.isOperator(".")) {
            Token name = next();
            if (name.kind() == Kind.NAME) {
                return new Node.GetAttr(target, name.value(), t.offset());
            }
            if (name.kind() == Kind.INTEGER) {
                return new Node.GetItem(target, new Node.Const(Py.normalize(new java.math.BigInteger(name.value())),
                        name.offset()), t.offset());
            }
            throw error("expected a name or number after '.', got " + describe(name), name);
        }
        List<Node> keys = new ArrayList<>();
        Node slice = null;
        while (!current().isOperator("]")) {
            if (!keys.isEmpty() || slice != null) {
                expectOperator(",");
            }
            Node key = subscribed(target, t);
            if (key instanceof Node.Slice s) {
                slice = s;
            } else {
                keys.add(key);
            }
        }
        at++;
        if (slice != null) {
            if (!keys.isEmpty()) {
                throw error("mixing slices and indices in one subscript is not supported", t);
            }
            return slice;
        }
        if (keys.isEmpty()) {
            throw error("expected an index in '[...]'", t);
        }
        Node key = keys.size() == 1 ? keys.getFirst() : new Node.TupleLiteral(keys, t.offset());
        return new Node.GetItem(target, key, t.offset());
    }

    private Node subscribed(Node target, Token bracket) {
        Node start = null;
        if (!current().isOperator(":")) {
            start = expression(true);
            if (!current().isOperator(":")) {
                return start;
            }
        }
        at++;
        Node stop = null;
        Node step = null;
        if (!current().isOperator("]") && !current().isOperator(",") && !current().isOperator(":")) {
            stop = expression(true);
        }
        if (skipOperator(":")) {
            if (!current().isOperator("]") && !current().isOperator(",")) {
                step = expression(true);
            }
        }
        return new Node.Slice(target, start, stop, step, bracket.offset());
    }

    private Node.Arguments callArguments() {
        expectOperator("(");
        List<Node> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Node> values = new ArrayList<>();
        Node starArgs = null;
        Node starKwargs = null;
        boolean first = true;
        while (!current().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            first = false;
            Token t = current();
            if (skipOperator("**")) {
                starKwargs = expression(true);
            } else if (skipOperator("*")) {
                starArgs = expression(true);
            } else if (t.kind() == Kind.NAME && peek(1).isOperator("=")) {
                at += 2;
                names.add(t.value());
                values.add(expression(true));
            } else {
                if (!names.isEmpty()) {
                    throw error("positional argument follows keyword argument", t);
                }
                positional.add(expression(true));
            }
        }
        at++;
        return new Node.Arguments(positional, names, values, starArgs, starKwargs);
    }
}
