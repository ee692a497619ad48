package dev.kopi.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Attribute and item access ({@code x.name}, {@code x[key]}) with Jinja2's rules (attribute first for
 * {@code .name}, item first for {@code [key]}) and the sandbox's: methods that would change the template's input
 * ({@code list.append}, {@code dict.update}, ...) are refused, as Hugging Face's ImmutableSandboxedEnvironment does.
 */
final class Members {
    private Members() {}

    private static final Set<String> STRING_METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit",
            "splitlines", "startswith", "endswith", "replace", "upper", "lower", "title", "capitalize", "swapcase",
            "casefold", "find", "rfind", "index", "rindex", "count", "join", "format", "isdigit", "isalpha",
            "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal", "istitle", "zfill", "center",
            "ljust", "rjust", "partition", "rpartition", "removeprefix", "removesuffix", "expandtabs");
    private static final Set<String> DICT_METHODS = Set.of("get", "items", "keys", "values", "copy");
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_METHODS = Set.of("index", "count", "copy");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "clear", "extend", "insert", "pop", "remove",
            "reverse", "sort");

    /** {@code owner.name}. */
    static Object attribute(Object owner, String name) {
        if (owner instanceof Undefined u) {
            throw u.error();
        }
        if (name.startsWith("_")) {
            return Undefined.unsafe(owner, name);
        }
        Object method = method(owner, name);
        if (method != null) {
            return method;
        }
        return switch (owner) {
            case Map<?, ?> map -> {
                Object key = Py.findKey(map, name);
                yield key == Py.MISSING ? Undefined.member(owner, name) : map.get(key);
            }
            case Namespace ns -> ns.attributes.containsKey(name) ? ns.attributes.get(name)
                    : Undefined.member(owner, name);
            case LoopState loop -> {
                Object value = loop.attribute(name, owner);
                yield value == null ? Undefined.member(owner, name) : value;
            }
            case null, default -> Undefined.member(owner, name);
        };
    }

    /** {@code owner[key]}. */
    static Object item(Object owner, Object key) {
        switch (owner) {
            case Undefined u -> throw u.error();
            case Map<?, ?> map -> {
                Object found = Py.findKey(map, key);
                if (found != Py.MISSING) {
                    return map.get(found);
                }
            }
            case List<?> list -> {
                if (Py.isInt(key)) {
                    int at = Py.index(Py.toLong(key), list.size());
                    return at < 0 ? Undefined.member(owner, key) : list.get(at);
                }
            }
            case PyTuple tuple -> {
                if (Py.isInt(key)) {
                    int at = Py.index(Py.toLong(key), tuple.items().size());
                    return at < 0 ? Undefined.member(owner, key) : tuple.items().get(at);
                }
            }
            case String s -> {
                if (Py.isInt(key)) {
                    List<Object> chars = Py.characters(s);
                    int at = Py.index(Py.toLong(key), chars.size());
                    return at < 0 ? Undefined.member(owner, key) : chars.get(at);
                }
            }
            case Markup m -> {
                return item(m.text(), key);
            }
            case null, default -> { }
        }
        return key instanceof String name ? attribute(owner, name) : Undefined.member(owner, key);
    }

    /** A bound method of {@code owner}, or null if {@code owner} has no method {@code name}. */
    private static PyCallable method(Object owner, String name) {
        if (Py.isString(owner) && STRING_METHODS.contains(name)) {
            String s = Py.str(owner);
            return (interpreter, args, kwargs) -> StringMethods.call(s, name, args, kwargs);
        }
        if (owner instanceof Map<?, ?> map) {
            if (DICT_MUTATORS.contains(name)) {
                return refuse(owner, name);
            }
            if (DICT_METHODS.contains(name)) {
                return (interpreter, args, kwargs) -> dictMethod(map, name, args, kwargs);
            }
        }
        if (owner instanceof List<?> || owner instanceof PyTuple) {
            List<?> list = owner instanceof PyTuple t ? t.items() : (List<?>) owner;
            if (owner instanceof List<?> && LIST_MUTATORS.contains(name)) {
                return refuse(owner, name);
            }
            if (LIST_METHODS.contains(name) && !(owner instanceof PyTuple && name.equals("copy"))) {
                return (interpreter, args, kwargs) -> listMethod(list, name, args, kwargs);
            }
        }
        return null;
    }

    private static PyCallable refuse(Object owner, String name) {
        return (interpreter, args, kwargs) -> {
            throw Undefined.unsafe(owner, name).error();
        };
    }

    private static Object dictMethod(Map<?, ?> map, String name, List<Object> args, Map<String, Object> kwargs) {
        noKeywords(name, kwargs);
        switch (name) {
            case "get" -> {
                if (args.isEmpty() || args.size() > 2) {
                    throw PyError.type("get expected 1 or 2 arguments, got " + args.size());
                }
                Object key = Py.findKey(map, args.getFirst());
                return key != Py.MISSING ? map.get(key) : args.size() > 1 ? args.get(1) : null;
            }
            case "items" -> {
                noArguments(name, args);
                List<Object> items = new ArrayList<>(map.size());
                map.forEach((k, v) -> items.add(PyTuple.of(k, v)));
                return items;
            }
            case "keys" -> {
                noArguments(name, args);
                return new ArrayList<Object>(map.keySet());
            }
            case "values" -> {
                noArguments(name, args);
                return new ArrayList<Object>(map.values());
            }
            default -> {
                noArguments(name, args);
                return new java.util.LinkedHashMap<Object, Object>(map);
            }
        }
    }

    private static Object listMethod(List<?> list, String name, List<Object> args, Map<String, Object> kwargs) {
        noKeywords(name, kwargs);
        switch (name) {
            case "index" -> {
                if (args.size() != 1) {
                    throw PyError.type("index expected 1 argument, got " + args.size());
                }
                for (int i = 0; i < list.size(); i++) {
                    if (Py.eq(list.get(i), args.getFirst())) {
                        return (long) i;
                    }
                }
                throw PyError.value(Py.repr(args.getFirst()) + " is not in list");
            }
            case "count" -> {
                if (args.size() != 1) {
                    throw PyError.type("count() takes exactly one argument (" + args.size() + " given)");
                }
                return list.stream().filter(x -> Py.eq(x, args.getFirst())).count();
            }
            default -> {
                noArguments(name, args);
                return new ArrayList<Object>(list);
            }
        }
    }

    static void noKeywords(String name, Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) {
            throw PyError.type(name + "() takes no keyword arguments");
        }
    }

    static void noArguments(String name, List<Object> args) {
        if (!args.isEmpty()) {
            throw PyError.type(name + "() takes no arguments (" + args.size() + " given)");
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
