package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, checked access to the fields of a JSON request. An absent field or a JSON null reads as "not given";
 * a field of the wrong type or out of range is a 400 naming the field, what it must be, and what it was.
 * Fields nobody asks for are ignored, as OpenAI-compatible servers do.
 */
final class RequestFields {
    private final ObjectNode body;
    private final String prefix;

    RequestFields(ObjectNode body) {
        this(body, "");
    }

    private RequestFields(ObjectNode body, String prefix) {
        this.body = body;
        this.prefix = prefix;
    }

    ObjectNode json() {
        return body;
    }

    boolean has(String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull();
    }

    /** The node of a given field, or null when absent or null. */
    JsonNode node(String name) {
        return has(name) ? body.get(name) : null;
    }

    String string(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    boolean bool(String name, boolean absent) {
        JsonNode node = node(name);
        if (node == null) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw wrongType(name, "true or false", node);
        }
        return node.booleanValue();
    }

    /** An integer within {@code [min, max]}, or null when not given. */
    Long integer(String name, long min, long max) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isNumber() || !isIntegral(node)) {
            throw wrongType(name, "an integer", node);
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw outOfRange(name, min + " and " + max, node);
        }
        return value.longValueExact();
    }

    /** A number within {@code [min, max]}, or null when not given. */
    Double number(String name, double min, double max) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(name, "a number", node);
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            throw outOfRange(name, plain(min) + " and " + plain(max), node);
        }
        return value;
    }

    /** A string or an array of strings (OpenAI's {@code stop}), each non-empty; empty when not given. */
    List<String> strings(String name) {
        JsonNode node = node(name);
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw wrongType(name, "a string or an array of strings", node);
                }
                out.add(item.textValue());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", node);
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalid("'" + path(name) + "' must not hold an empty string", path(name));
        }
        return out;
    }

    /** A nested object, or null when not given. */
    RequestFields object(String name) {
        JsonNode node = node(name);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw wrongType(name, "an object", node);
        }
        return new RequestFields((ObjectNode) node, path(name) + ".");
    }

    /** An array, or null when not given. */
    JsonNode array(String name) {
        JsonNode node = node(name);
        if (node != null && !node.isArray()) {
            throw wrongType(name, "an array", node);
        }
        return node;
    }

    /** Refuses a field kopi does not implement unless it holds the one value that means "off". */
    void requireAbsentOr(String name, JsonNode allowed, String why) {
        JsonNode node = node(name);
        if (node != null && !node.equals(allowed) && !(node.isNumber() && allowed.isNumber()
                && node.decimalValue().compareTo(allowed.decimalValue()) == 0)) {
            throw ApiError.unsupported("'" + path(name) + "' " + why, path(name));
        }
    }

    String path(String name) {
        return prefix + name;
    }

    ApiError wrongType(String name, String expected, JsonNode got) {
        return ApiError.invalid("'" + path(name) + "' must be " + expected + ", got " + describe(got), path(name));
    }

    private ApiError outOfRange(String name, String range, JsonNode got) {
        return ApiError.invalid("'" + path(name) + "' must be between " + range + ", got " + got, path(name));
    }

    private static boolean isIntegral(JsonNode node) {
        if (node.isIntegralNumber()) {
            return true;
        }
        BigDecimal value = node.decimalValue();
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** A short description of a value for an error message: its JSON text if short, else its type. */
    static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() <= 40 ? typeName(node) + " " + text : typeName(node);
    }

    static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
