package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Walks syntax trees: which names a macro body uses, and which filters and tests a template needs. */
final class References {
    private References() {}

    /** True if {@code body} reads the variable {@code name} anywhere (macros look for varargs, kwargs, caller). */
    static boolean uses(List<Node> body, String name) {
        boolean[] found = {false};
        body.forEach(node -> walk(node, n -> {
            if (n instanceof Node.Name ref && ref.name().equals(name)) {
                found[0] = true;
            }
        }));
        return found[0];
    }

    /**
     * Rejects unknown filters and tests up front, as Jinja2's compiler does, with their position. Like Jinja2, it
     * leaves those inside {@code if} bodies and conditional expressions to fail only if they are evaluated.
     */
    static void checkNames(List<Node> body, SourceMap positions) {
        body.forEach(node -> checkNames(node, positions));
    }

    private static void checkNames(Node node, SourceMap positions) {
        if (node == null) {
            return;
        }
        for (Node.FilterCall filter : filtersOf(node)) {
            if (!Filters.exists(filter.name())) {
                throw positions.error("no filter named '" + filter.name() + "'", filter.offset());
            }
        }
        if (node instanceof Node.Test test && !Tests.exists(test.name())) {
            throw positions.error("no test named '" + test.name() + "'", test.offset());
        }
        switch (node) {
            case Node.If n -> n.conditions().forEach(c -> checkNames(c, positions));
            case Node.Conditional c -> { }
            default -> children(node).forEach(child -> checkNames(child, positions));
        }
    }

    private static List<Node.FilterCall> filtersOf(Node n) {
        return switch (n) {
            case Node.Filter f -> List.of(f.filter());
            case Node.SetBlock s -> s.filters();
            case Node.FilterBlock f -> f.filters();
            default -> List.of();
        };
    }

    private static void walk(Node node, Consumer<Node> visitor) {
        if (node == null) {
            return;
        }
        visitor.accept(node);
        for (Node child : children(node)) {
            walk(child, visitor);
        }
    }

    private static List<Node> children(Node node) {
        List<Node> out = new ArrayList<>();
        switch (node) {
            case Node.Print p -> out.add(p.expression());
            case Node.If n -> {
                out.addAll(n.conditions());
                n.bodies().forEach(out::addAll);
                out.addAll(n.otherwise());
            }
            case Node.For n -> {
                out.add(n.target());
                out.add(n.iterable());
                out.add(n.condition());
                out.addAll(n.body());
                out.addAll(n.otherwise());
            }
            case Node.Set n -> {
                out.add(n.target());
                out.add(n.value());
            }
            case Node.SetBlock n -> {
                out.add(n.target());
                n.filters().forEach(f -> addArguments(f.arguments(), out));
                out.addAll(n.body());
            }
            case Node.Macro n -> {
                out.addAll(n.defaults());
                out.addAll(n.body());
            }
            case Node.CallBlock n -> {
                out.add(n.call());
                out.addAll(n.defaults());
                out.addAll(n.body());
            }
            case Node.FilterBlock n -> {
                n.filters().forEach(f -> addArguments(f.arguments(), out));
                out.addAll(n.body());
            }
            case Node.With n -> {
                out.addAll(n.targets());
                out.addAll(n.values());
                out.addAll(n.body());
            }
            case Node.Scope n -> out.addAll(n.body());
            case Node.ListLiteral n -> out.addAll(n.items());
            case Node.TupleLiteral n -> out.addAll(n.items());
            case Node.DictLiteral n -> {
                out.addAll(n.keys());
                out.addAll(n.values());
            }
            case Node.GetAttr n -> out.add(n.target());
            case Node.GetItem n -> {
                out.add(n.target());
                out.add(n.key());
            }
            case Node.Slice n -> {
                out.add(n.target());
                out.add(n.start());
                out.add(n.stop());
                out.add(n.step());
            }
            case Node.Call n -> {
                out.add(n.target());
                addArguments(n.arguments(), out);
            }
            case Node.Filter n -> {
                out.add(n.target());
                addArguments(n.filter().arguments(), out);
            }
            case Node.Test n -> {
                out.add(n.target());
                addArguments(n.arguments(), out);
            }
            case Node.Unary n -> out.add(n.operand());
            case Node.Binary n -> {
                out.add(n.left());
                out.add(n.right());
            }
            case Node.Compare n -> {
                out.add(n.first());
                out.addAll(n.operands());
            }
            case Node.Conditional n -> {
                out.add(n.condition());
                out.add(n.then());
                out.add(n.otherwise());
            }
            case Node.Text t -> { }
            case Node.Const c -> { }
            case Node.Name n -> { }
            case Node.Break b -> { }
            case Node.Continue c -> { }
        }
        return out;
    }

    private static void addArguments(Node.Arguments a, List<Node> out) {
        out.addAll(a.positional());
        out.addAll(a.keywordValues());
        out.add(a.starArgs());
        out.add(a.starKwargs());
    }
}
