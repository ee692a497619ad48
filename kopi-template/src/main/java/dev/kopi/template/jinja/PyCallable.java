package dev.kopi.template.jinja;

import java.util.List;
import java.util.Map;

/** Anything a template can call: global functions, macros, bound methods of values. */
@FunctionalInterface
public interface PyCallable {
    Object call(Interpreter interpreter, List<Object> args, Map<String, Object> kwargs);
}
