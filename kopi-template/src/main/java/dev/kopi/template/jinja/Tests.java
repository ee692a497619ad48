package dev.kopi.template.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja2's tests ({@code x is defined}, {@code x is string}, ...), with Python's type rules. */
final class Tests {
    private Tests() {}

    private static final Set<String> NAMES = Set.of("defined", "undefined", "none", "boolean", "true", "false",
            "integer", "float", "number", "string", "mapping", "iterable", "sequence", "callable", "sameas",
            "equalto", "eq", "==", "ne", "!=", "lt", "<", "lessthan", "le", "<=", "gt", ">", "greaterthan", "ge",
            ">=", "in", "odd", "even", "divisibleby", "lower", "upper", "escaped", "filter", "test");

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static boolean apply(Interpreter interpreter, String name, Object v, List<Object> args,
                         Map<String, Object> kwargs) {
        if (!exists(name)) {
            throw new PyError("TemplateRuntimeError", "No test named '" + name + "' found.");
        }
        return switch (name) {
            case "defined" -> none(name, args, kwargs, !(v instanceof Undefined));
            case "undefined" -> none(name, args, kwargs, v instanceof Undefined);
            case "none" -> none(name, args, kwargs, v == null);
            case "boolean" -> none(name, args, kwargs, v instanceof Boolean);
            case "true" -> none(name, args, kwargs, Boolean.TRUE.equals(v));
            case "false" -> none(name, args, kwargs, Boolean.FALSE.equals(v));
            case "integer" -> none(name, args, kwargs, Py.isInt(v) && !(v instanceof Boolean));
            case "float" -> none(name, args, kwargs, v instanceof Double);
            case "number" -> none(name, args, kwargs, Py.isNumber(v));
            case "string" -> none(name, args, kwargs, Py.isString(v));
            case "mapping" -> none(name, args, kwargs, v instanceof Map);
            case "iterable" -> none(name, args, kwargs, Py.isIterable(v));
            case "sequence" -> none(name, args, kwargs, Py.isString(v) || v instanceof List || v instanceof PyTuple
                    || v instanceof Map || v instanceof Undefined);
            case "callable" -> none(name, args, kwargs, v instanceof PyCallable);
            case "lower" -> none(name, args, kwargs, Py.str(v).equals(Members.lower(Py.str(v))));
            case "upper" -> none(name, args, kwargs, Py.str(v).equals(Members.upper(Py.str(v))));
            case "escaped" -> none(name, args, kwargs, v instanceof Markup);
            case "odd" -> none(name, args, kwargs, Py.toBig(v).testBit(0));
            case "even" -> none(name, args, kwargs, !Py.toBig(v).testBit(0));
            case "filter" -> Filters.exists(Py.str(other(name, args, kwargs, "value")));
            case "test" -> exists(Py.str(other(name, args, kwargs, "value")));
            case "sameas" -> {
                Object other = other(name, args, kwargs, "other");
                yield v == other || (v == null && other == null)
                        || (v instanceof Boolean && v.equals(other));
            }
            case "equalto", "eq", "==" -> Py.eq(v, other(name, args, kwargs, "other"));
            case "ne", "!=" -> !Py.eq(v, other(name, args, kwargs, "other"));
            case "lt", "<", "lessthan" -> Py.compare(v, other(name, args, kwargs, "other"), "<") < 0;
            case "le", "<=" -> {
                int c = Py.compare(v, other(name, args, kwargs, "other"), "<=");
                yield c <= 0;
            }
            case "gt", ">", "greaterthan" -> {
                int c = Py.compare(v, other(name, args, kwargs, "other"), ">");
                yield c > 0 && c != 2;
            }
            case "ge", ">=" -> {
                int c = Py.compare(v, other(name, args, kwargs, "other"), ">=");
                yield c >= 0 && c != 2;
            }
            case "in" -> Py.contains(other(name, args, kwargs, "seq"), v);
            case "divisibleby" -> {
                Object num = other(name, args, kwargs, "num");
                Object remainder = Py.arithmetic("%", v, num);
                yield Py.eq(remainder, 0L);
            }
            default -> throw new IllegalStateException(name);
        };
    }

    private static boolean none(String name, List<Object> args, Map<String, Object> kwargs, boolean result) {
        new Args(name, args, kwargs);
        return result;
    }

    private static Object other(String name, List<Object> args, Map<String, Object> kwargs, String parameter) {
        return new Args(name, args, kwargs, parameter).require(parameter);
    }
}
