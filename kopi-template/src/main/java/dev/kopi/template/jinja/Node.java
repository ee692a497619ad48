package dev.kopi.template.jinja;

import java.util.List;

/** The syntax tree of a template. {@code offset} is the position in the normalised source, for error messages. */
sealed interface Node {
    int offset();

    // ---- statements ----------------------------------------------------------------------------------------------

    record Text(String text, int offset) implements Node {}

    record Print(Node expression, int offset) implements Node {}

    record If(List<Node> conditions, List<List<Node>> bodies, List<Node> otherwise, int offset) implements Node {}

    record For(Node target, Node iterable, Node condition, List<Node> body, List<Node> otherwise, boolean recursive,
               int offset) implements Node {}

    record Set(Node target, Node value, int offset) implements Node {}

    record SetBlock(Node target, List<FilterCall> filters, List<Node> body, int offset) implements Node {}

    record Macro(String name, List<String> parameters, List<Node> defaults, List<Node> body, int offset)
            implements Node {}

    record CallBlock(Call call, List<String> parameters, List<Node> defaults, List<Node> body, int offset)
            implements Node {}

    record FilterBlock(List<FilterCall> filters, List<Node> body, int offset) implements Node {}

    record With(List<Node> targets, List<Node> values, List<Node> body, int offset) implements Node {}

    /** A block rendered as is: Hugging Face's {@code {% generation %}} marker for assistant-token masks. */
    record Scope(List<Node> body, int offset) implements Node {}

    record Break(int offset) implements Node {}

    record Continue(int offset) implements Node {}

    // ---- expressions ---------------------------------------------------------------------------------------------

    record Const(Object value, int offset) implements Node {}

    record Name(String name, int offset) implements Node {}

    record ListLiteral(List<Node> items, int offset) implements Node {}

    record TupleLiteral(List<Node> items, int offset) implements Node {}

    record DictLiteral(List<Node> keys, List<Node> values, int offset) implements Node {}

    record GetAttr(Node target, String name, int offset) implements Node {}

    record GetItem(Node target, Node key, int offset) implements Node {}

    record Slice(Node target, Node start, Node stop, Node step, int offset) implements Node {}

    record Call(Node target, Arguments arguments, int offset) implements Node {}

    record Filter(Node target, FilterCall filter, int offset) implements Node {}

    record Test(Node target, String name, Arguments arguments, boolean negated, int offset) implements Node {}

    record Unary(String operator, Node operand, int offset) implements Node {}

    record Binary(String operator, Node left, Node right, int offset) implements Node {}

    record Compare(Node first, List<String> operators, List<Node> operands, int offset) implements Node {}

    record Conditional(Node condition, Node then, Node otherwise, int offset) implements Node {}

    /** Arguments of a call, filter or test: positional, keyword, {@code *args} and {@code **kwargs}. */
    record Arguments(List<Node> positional, List<String> keywordNames, List<Node> keywordValues, Node starArgs,
                     Node starKwargs) {
        static final Arguments NONE = new Arguments(List.of(), List.of(), List.of(), null, null);
    }

    /** One {@code |name(args)} application. */
    record FilterCall(String name, Arguments arguments, int offset) {}
}
