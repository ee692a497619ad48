package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kopi.template.TemplateException;

/**
 * Renders a parsed template: a tree walk with Jinja2's scoping (each loop iteration, macro call and
 * {@code with} block has its own variables; {@code if} does not) and Python value semantics from {@link Py}.
 * Work is bounded: a step budget and a call-depth limit turn runaway templates into errors instead of hangs.
 */
public final class Interpreter {
    /** Statements, expressions and loop iterations a single rendering may evaluate. */
    static final long MAX_STEPS = 20_000_000;
    /** Nested macro calls; Python's own recursion limit would stop Jinja2 near here. */
    static final int MAX_DEPTH = 400;

    private final Map<String, Object> globals;
    private final SourceMap positions;
    private long steps;
    private int depth;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    /** Variables of one scope; lookups fall through to the enclosing scope. */
    static final class Scope {
        final Map<String, Object> variables = new HashMap<>();
        final Scope parent;

        Scope(Scope parent) {
            this.parent = parent;
        }

        Object lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Object value = s.variables.getOrDefault(name, Py.MISSING);
                if (value != Py.MISSING) {
                    return value;
                }
            }
            return Py.MISSING;
        }
    }

    private Interpreter(Map<String, Object> globals, SourceMap positions) {
        this.globals = globals;
        this.positions = positions;
    }

    /**
     * Renders {@code body} with {@code globals} (already converted by {@link Py#fromJava}) as its variables.
     * Errors become {@link TemplateException}s naming the template line.
     */
    public static String render(Template template, Map<String, Object> globals) {
        Interpreter interpreter = new Interpreter(globals, template.positions());
        StringBuilder out = new StringBuilder();
        interpreter.execute(template.body(), new Scope(null), out);
        return out.toString();
    }

    // ---- statements ------------------------------------------------------------------------------------------------

    private Flow execute(List<Node> body, Scope scope, StringBuilder out) {
        for (Node node : body) {
            Flow flow = execute(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private void step(Node node) {
        if (++steps > MAX_STEPS) {
            throw failure(node, new PyError("RuntimeError", "the template exceeded " + MAX_STEPS
                    + " evaluation steps (runaway loop?)"));
        }
    }

    private Flow execute(Node node, Scope scope, StringBuilder out) {
        step(node);
        try {
            switch (node) {
                case Node.Text t -> append(out, t.text());
                case Node.Print p -> append(out, Py.str(evaluate(p.expression(), scope)));
                case Node.If n -> {
                    for (int i = 0; i < n.conditions().size(); i++) {
                        if (Py.truthy(evaluate(n.conditions().get(i), scope))) {
                            return execute(n.bodies().get(i), scope, out);
                        }
                    }
                    return execute(n.otherwise(), scope, out);
                }
                case Node.For n -> {
                    return forLoop(n, evaluate(n.iterable(), scope), scope, out, 1);
                }
                case Node.Set n -> assign(n.target(), evaluate(n.value(), scope), scope);
                case Node.SetBlock n -> {
                    StringBuilder captured = new StringBuilder();
                    execute(n.body(), new Scope(scope), captured);
                    Object value = captured.toString();
                    for (Node.FilterCall filter : n.filters()) {
                        value = applyFilter(filter, value, scope);
                    }
                    assign(n.target(), value, scope);
                }
                case Node.Macro n -> scope.variables.put(n.name(), macro(n.name(), n.parameters(), n.defaults(),
                        n.body(), scope));
                case Node.CallBlock n -> {
                    PyCallable caller = macro("caller", n.parameters(), n.defaults(), n.body(), scope);
                    Map<String, Object> extra = Map.of("caller", caller);
                    append(out, Py.str(call(n.call(), scope, extra)));
                }
                case Node.FilterBlock n -> {
                    StringBuilder captured = new StringBuilder();
                    execute(n.body(), new Scope(scope), captured);
                    Object value = captured.toString();
                    for (Node.FilterCall filter : n.filters()) {
                        value = applyFilter(filter, value, scope);
                    }
                    append(out, Py.str(value));
                }
                case Node.With n -> {
                    Scope inner = new Scope(scope);
                    for (int i = 0; i < n.targets().size(); i++) {
                        assign(n.targets().get(i), evaluate(n.values().get(i), scope), inner);
                    }
                    return execute(n.body(), inner, out);
                }
                case Node.Scope n -> execute(n.body(), new Scope(scope), out);
                case Node.Break b -> {
                    return Flow.BREAK;
                }
                case Node.Continue c -> {
                    return Flow.CONTINUE;
                }
                default -> throw new IllegalStateException("not a statement: " + node);
            }
        } catch (PyError e) {
            throw failure(node, e);
        }
        return Flow.NORMAL;
    }

    private static void append(StringBuilder out, String text) {
        Py.checkSize((long) out.length() + text.length());
        out.append(text);
    }

    private TemplateException failure(Node node, PyError e) {
        int line = positions.line(node.offset());
        return new TemplateException("template error at line " + line + ": " + e.getMessage(), e);
    }

    private Flow forLoop(Node.For n, Object iterable, Scope scope, StringBuilder out, int loopDepth) {
        List<Object> items = Py.iterate(iterable);
        if (n.condition() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                step(n);
                Scope probe = new Scope(scope);
                assign(n.target(), item, probe);
                if (Py.truthy(evaluate(n.condition(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        PyCallable recurse = n.recursive() ? (interpreter, args, kwargs) -> {
            if (args.size() != 1) {
                throw PyError.type("loop() takes exactly one argument");
            }
            StringBuilder nested = new StringBuilder();
            forLoop(n, args.getFirst(), scope, nested, loopDepth + 1);
            return nested.toString();
        } : null;
        LoopState loop = new LoopState(items, loopDepth, recurse);
        for (int i = 0; i < items.size(); i++) {
            step(n);
            loop.index = i;
            Scope iteration = new Scope(scope);
            assign(n.target(), items.get(i), iteration);
            iteration.variables.put("loop", loop);
            if (execute(n.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
        if (items.isEmpty()) {
            execute(n.otherwise(), new Scope(scope), out);
        }
        return Flow.NORMAL;
    }

    private void assign(Node target, Object value, Scope scope) {
        switch (target) {
            case Node.Name name -> scope.variables.put(name.name(), value);
            case Node.GetAttr attr -> {
                Object owner = evaluate(attr.target(), scope);
                if (!(owner instanceof Namespace ns)) {
                    throw new PyError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
                }
                ns.attributes.put(attr.name(), value);
            }
            case Node.TupleLiteral tuple -> {
                List<Object> values = Py.iterate(value);
                int expected = tuple.items().size();
                if (values.size() > expected) {
                    throw PyError.value("too many values to unpack (expected " + expected + ")");
                }
                if (values.size() < expected) {
                    throw PyError.value("not enough values to unpack (expected " + expected + ", got "
                            + values.size() + ")");
                }
                for (int i = 0; i < expected; i++) {
                    assign(tuple.items().get(i), values.get(i), scope);
                }
            }
            default -> throw new IllegalStateException("not an assignment target: " + target);
        }
    }

    // ---- macros ----------------------------------------------------------------------------------------------------

    private PyCallable macro(String name, List<String> parameters, List<Node> defaults, List<Node> body,
                             Scope definition) {
        int firstDefault = parameters.size() - defaults.size();
        boolean usesVarargs = References.uses(body, "varargs");
        boolean usesKwargs = References.uses(body, "kwargs");
        boolean usesCaller = References.uses(body, "caller");
        return (interpreter, args, kwargs) -> {
            if (++depth > MAX_DEPTH) {
                depth = 0;
                throw new PyError("RecursionError", "maximum recursion depth exceeded in macro '" + name + "'");
            }
            try {
                Scope scope = new Scope(definition);
                Map<String, Object> remaining = new LinkedHashMap<>(kwargs);
                for (int i = 0; i < parameters.size(); i++) {
                    String parameter = parameters.get(i);
                    Object value;
                    if (i < args.size()) {
                        value = args.get(i);
                    } else if (remaining.containsKey(parameter)) {
                        value = remaining.remove(parameter);
                    } else if (i >= firstDefault) {
                        value = evaluate(defaults.get(i - firstDefault), scope);
                    } else {
                        value = Undefined.hint("parameter '" + parameter + "' was not provided");
                    }
                    scope.variables.put(parameter, value);
                }
                if (args.size() > parameters.size()) {
                    if (!usesVarargs) {
                        throw PyError.type("macro '" + name + "' takes not more than " + parameters.size()
                                + " argument(s)");
                    }
                }
                if (usesVarargs) {
                    scope.variables.put("varargs", new PyTuple(args.size() > parameters.size()
                            ? args.subList(parameters.size(), args.size()) : List.of()));
                }
                Object caller = remaining.remove("caller");
                if (caller != null) {
                    if (!usesCaller) {
                        throw PyError.type("macro '" + name + "' was invoked with a caller but does not use it");
                    }
                    scope.variables.put("caller", caller);
                }
                if (usesKwargs) {
                    scope.variables.put("kwargs", new LinkedHashMap<Object, Object>(remaining));
                } else if (!remaining.isEmpty()) {
                    throw PyError.type("macro '" + name + "' takes no keyword argument '"
                            + remaining.keySet().iterator().next() + "'");
                }
                StringBuilder out = new StringBuilder();
                execute(body, scope, out);
                return out.toString();
            } finally {
                depth = Math.max(0, depth - 1);
            }
        };
    }

    // ---- expressions -----------------------------------------------------------------------------------------------

    Object evaluate(Node node, Scope scope) {
        step(node);
        return switch (node) {
            case Node.Const c -> c.value();
            case Node.Name n -> {
                Object value = scope.lookup(n.name());
                if (value == Py.MISSING) {
                    value = globals.containsKey(n.name()) ? globals.get(n.name()) : Builtins.function(n.name());
                }
                yield value == Py.MISSING ? Undefined.name(n.name()) : value;
            }
            case Node.ListLiteral l -> {
                List<Object> items = new ArrayList<>(l.items().size());
                for (Node item : l.items()) {
                    items.add(evaluate(item, scope));
                }
                yield items;
            }
            case Node.TupleLiteral t -> {
                List<Object> items = new ArrayList<>(t.items().size());
                for (Node item : t.items()) {
                    items.add(evaluate(item, scope));
                }
                yield new PyTuple(items);
            }
            case Node.DictLiteral d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = evaluate(d.keys().get(i), scope);
                    Object existing = Py.findKey(map, key);
                    map.put(existing == Py.MISSING ? key : existing, evaluate(d.values().get(i), scope));
                }
                yield map;
            }
            case Node.GetAttr a -> Members.attribute(evaluate(a.target(), scope), a.name());
            case Node.GetItem g -> Members.item(evaluate(g.target(), scope), evaluate(g.key(), scope));
            case Node.Slice s -> Py.slice(evaluate(s.target(), scope), optional(s.start(), scope),
                    optional(s.stop(), scope), optional(s.step(), scope));
            case Node.Call c -> call(c, scope, Map.of());
            case Node.Filter f -> applyFilter(f.filter(), evaluate(f.target(), scope), scope);
            case Node.Test t -> {
                Object value = evaluate(t.target(), scope);
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                arguments(t.arguments(), scope, args, kwargs);
                boolean result = Tests.apply(this, t.name(), value, args, kwargs);
                yield t.negated() != result;
            }
            case Node.Unary u -> switch (u.operator()) {
                case "not" -> !Py.truthy(evaluate(u.operand(), scope));
                case "-" -> Py.negate(evaluate(u.operand(), scope));
                default -> Py.plus(evaluate(u.operand(), scope));
            };
            case Node.Binary b -> binary(b, scope);
            case Node.Compare c -> compare(c, scope);
            case Node.Conditional c -> {
                if (Py.truthy(evaluate(c.condition(), scope))) {
                    yield evaluate(c.then(), scope);
                }
                yield c.otherwise() == null ? Undefined.hint("the inline if-expression evaluated to false and no else section was defined.")
                        : evaluate(c.otherwise(), scope);
            }
            default -> throw new IllegalStateException("not an expression: " + node);
        };
    }

    private Object optional(Node node, Scope scope) {
        return node == null ? null : evaluate(node, scope);
    }

    private Object binary(Node.Binary b, Scope scope) {
        return switch (b.operator()) {
            case "and" -> {
                Object left = evaluate(b.left(), scope);
                yield Py.truthy(left) ? evaluate(b.right(), scope) : left;
            }
            case "or" -> {
                Object left = evaluate(b.left(), scope);
                yield Py.truthy(left) ? left : evaluate(b.right(), scope);
            }
            case "~" -> {
                String left = Py.str(evaluate(b.left(), scope));
                String right = Py.str(evaluate(b.right(), scope));
                Py.checkSize((long) left.length() + right.length());
                yield left + right;
            }
            default -> Py.arithmetic(b.operator(), evaluate(b.left(), scope), evaluate(b.right(), scope));
        };
    }

    private Object compare(Node.Compare c, Scope scope) {
        Object left = evaluate(c.first(), scope);
        for (int i = 0; i < c.operators().size(); i++) {
            Object right = evaluate(c.operands().get(i), scope);
            String op = c.operators().get(i);
            boolean holds = switch (op) {
                case "==" -> Py.eq(left, right);
                case "!=" -> !Py.eq(left, right);
                case "in" -> Py.contains(right, left);
                case "not in" -> !Py.contains(right, left);
                default -> {
                    int order = Py.compare(left, right, op);
                    yield order != 2 && switch (op) {
                        case "<" -> order < 0;
                        case ">" -> order > 0;
                        case "<=" -> order <= 0;
                        default -> order >= 0;
                    };
                }
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private Object call(Node.Call c, Scope scope, Map<String, Object> extraKwargs) {
        Object target = evaluate(c.target(), scope);
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        arguments(c.arguments(), scope, args, kwargs);
        kwargs.putAll(extraKwargs);
        return callValue(target, args, kwargs);
    }

    /** Calls {@code target} as Python would, raising for values that are not callable. */
    Object callValue(Object target, List<Object> args, Map<String, Object> kwargs) {
        return switch (target) {
            case PyCallable f -> f.call(this, args, kwargs);
            case Undefined u -> throw u.error();
            case LoopState loop when loop.recursion() != null -> loop.recursion().call(this, args, kwargs);
            case null, default -> throw PyError.type("'" + Py.typeName(target) + "' object is not callable");
        };
    }

    private void arguments(Node.Arguments a, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        for (Node n : a.positional()) {
            args.add(evaluate(n, scope));
        }
        for (int i = 0; i < a.keywordNames().size(); i++) {
            kwargs.put(a.keywordNames().get(i), evaluate(a.keywordValues().get(i), scope));
        }
        if (a.starArgs() != null) {
            args.addAll(Py.iterate(evaluate(a.starArgs(), scope)));
        }
        if (a.starKwargs() != null) {
            Object extra = evaluate(a.starKwargs(), scope);
            if (!(extra instanceof Map<?, ?> map)) {
                throw PyError.type("argument after ** must be a mapping, not " + Py.typeName(extra));
            }
            map.forEach((k, v) -> kwargs.put(Py.str(k), v));
        }
    }

    private Object applyFilter(Node.FilterCall filter, Object value, Scope scope) {
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        arguments(filter.arguments(), scope, args, kwargs);
        return Filters.apply(this, filter.name(), value, args, kwargs);
    }

    /** Applies a filter by name to a value, for filters such as {@code map} that take another filter's name. */
    Object filter(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        return Filters.apply(this, name, value, args, kwargs);
    }

    /** Evaluates a test by name, for {@code select} and friends. */
    boolean test(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        return Tests.apply(this, name, value, args, kwargs);
    }

    /** Used by filters that evaluate once per element, so that they count against the step budget too. */
    void tick() {
        if (++steps > MAX_STEPS) {
            throw new PyError("RuntimeError", "the template exceeded " + MAX_STEPS + " evaluation steps");
        }
    }
}
