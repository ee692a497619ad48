package dev.kopi.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads JSON (messages files, tool schemas, tokenizer_config.json) into the plain Java values templates take:
 * Map (insertion-ordered), List, String, Long/BigInteger, Double, Boolean and null, like Python's {@code json}.
 */
public final class JsonValues {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonValues() {}

    /** Parses JSON text; {@code what} names the input in error messages. */
    public static Object parse(String json, String what) {
        try {
            return normalize(MAPPER.readValue(json, Object.class));
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new TemplateException("malformed JSON in " + what + location + ": " + e.getOriginalMessage());
        }
    }

    /** Reads and parses a JSON file. */
    public static Object read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new TemplateException("no such file: " + file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TemplateException(file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new TemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A JSON array of objects (messages, tools), with a clear error if the file holds something else. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> readObjects(Path file) {
        Object value = read(file);
        if (!(value instanceof List<?> list) || !list.stream().allMatch(item -> item instanceof Map)) {
            throw new TemplateException(file + " must hold a JSON array of objects");
        }
        return (List<Map<String, Object>>) value;
    }

    private static Object normalize(Object value) {
        return switch (value) {
            case java.math.BigInteger b when b.bitLength() < 64 -> b.longValue();
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new java.util.LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(k, normalize(v)));
                yield copy;
            }
            case List<?> list -> new java.util.ArrayList<>(list.stream().map(JsonValues::normalize).toList());
            case null, default -> value;
        };
    }
}
