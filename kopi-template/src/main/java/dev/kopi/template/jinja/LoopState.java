package dev.kopi.template.jinja;

import java.util.List;

/** The {@code loop} variable of a for loop: position, neighbours and, for recursive loops, the loop itself. */
final class LoopState {
    private final List<Object> items;
    private final int depth;
    private final PyCallable recurse;
    private Object lastChanged = Py.MISSING;
    int index;

    LoopState(List<Object> items, int depth, PyCallable recurse) {
        this.items = items;
        this.depth = depth;
        this.recurse = recurse;
    }

    /** The attribute {@code name} of {@code loop}, or {@code null} if there is no such attribute. */
    Object attribute(String name, Object owner) {
        int length = items.size();
        return switch (name) {
            case "index" -> (long) index + 1;
            case "index0" -> (long) index;
            case "revindex" -> (long) (length - index);
            case "revindex0" -> (long) (length - index - 1);
            case "first" -> index == 0;
            case "last" -> index == length - 1;
            case "length" -> (long) length;
            case "depth" -> (long) depth;
            case "depth0" -> (long) depth - 1;
            case "previtem" -> index > 0 ? items.get(index - 1) : Undefined.hint("there is no previous item");
            case "nextitem" -> index + 1 < length ? items.get(index + 1) : Undefined.hint("there is no next item");
            case "cycle" -> (PyCallable) (interpreter, args, kwargs) -> {
                if (args.isEmpty()) {
                    throw PyError.type("no items for cycling given");
                }
                return args.get(index % args.size());
            };
            case "changed" -> (PyCallable) (interpreter, args, kwargs) -> {
                Object value = new PyTuple(args);
                if (lastChanged != Py.MISSING && Py.eq(lastChanged, value)) {
                    return false;
                }
                lastChanged = value;
                return true;
            };
            default -> null;
        };
    }

    /** Calling {@code loop(items)} in a recursive loop renders the loop body for {@code items}. */
    PyCallable recursion() {
        return recurse;
    }
}
