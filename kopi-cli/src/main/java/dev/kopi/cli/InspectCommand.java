package dev.kopi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.kopi.gguf.GgufArray;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.GgufTensor;
import dev.kopi.gguf.GgufValueType;
import dev.kopi.gguf.Tensor;
import dev.kopi.gguf.TensorFile;
import dev.kopi.safetensors.SafetensorsFile;
import dev.kopi.safetensors.SafetensorsTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kopi inspect FILE}: the metadata and tensor table of a GGUF or safetensors model. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show the metadata and tensors of a model file: GGUF (a split model's first shard opens all "
                + "shards) or safetensors (a file, model.safetensors.index.json, or a folder)."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "GGUF file, .safetensors file, index.json or model folder.")
    Path file;

    @Option(names = "--json", description = "Print one JSON document instead of tables.")
    boolean json;

    @Option(names = "--array-items", defaultValue = "8",
            description = "Array elements shown before eliding (default: ${DEFAULT-VALUE}).")
    int arrayItems;

    @Option(names = "--string-chars", defaultValue = "80",
            description = "Characters of a string shown before eliding (default: ${DEFAULT-VALUE}).")
    int stringChars;

    @Option(names = "--no-tensors", description = "Omit the tensor table (totals are still shown).")
    boolean noTensors;

    @Spec
    CommandSpec spec;

    /** Array elements are cut shorter than scalar strings, so a summary of a vocabulary stays on one screen line. */
    private static final int ARRAY_STRING_CHARS = 24;

    @Override
    public Integer call() throws IOException {
        try (TensorFile model = TensorFile.open(file)) {
            Map<String, Object> report = report(model);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(report));
            } else {
                printText(out, model, report);
            }
            out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + e.getFile());
        }
    }

    /** Everything shown, as plain maps and lists: the text and the JSON output share it. */
    private Map<String, Object> report(TensorFile model) {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        if (model instanceof GgufFile gguf) {
            report.put("format", "GGUF");
            report.put("version", gguf.version());
            report.put("alignment", gguf.alignment());
            GgufMetadata m = gguf.metadata();
            for (String key : m.keys()) {
                GgufValueType type = m.findType(key).orElseThrow();
                Object value = m.get(key);
                types.put(key, value instanceof GgufArray a ? "[" + a.elementType().displayName() + "]"
                        : type.displayName());
                metadata.put(key, summarize(value, type));
            }
        } else {
            report.put("format", "safetensors");
            ((SafetensorsFile) model).metadata().forEach((k, v) -> {
                types.put(k, "string");
                metadata.put(k, truncate(v));
            });
        }
        report.put("files", model.files().stream().map(Path::toString).toList());
        report.put("metadata", metadata);
        report.put("metadata_types", types);
        List<Map<String, Object>> tensors = new ArrayList<>();
        long parameters = 0;
        long bytes = 0;
        for (Tensor t : model.tensors()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("type", t.typeName());
            row.put("shape", model instanceof GgufFile ? t.ne() : t.shape());
            row.put("offset", t instanceof GgufTensor g ? g.fileOffset() : ((SafetensorsTensor) t).dataOffset());
            row.put("bytes", t.byteSize());
            if (model.files().size() > 1) {
                row.put("file", t instanceof GgufTensor g ? g.shard() : model.files().indexOf(((SafetensorsTensor) t).file()));
            }
            tensors.add(row);
            parameters += t.elementCount();
            bytes += t.byteSize();
        }
        if (!noTensors) {
            report.put("tensors", tensors);
        }
        report.put("tensor_count", tensors.size());
        report.put("parameter_count", parameters);
        report.put("tensor_bytes", bytes);
        return report;
    }

    /** A metadata value as shown: long strings truncated, arrays as a count and their first elements. */
    private Object summarize(Object value, GgufValueType type) {
        if (value instanceof GgufArray array) {
            List<Object> head = new ArrayList<>();
            int shown = (int) Math.min(array.length(), arrayItems);
            for (int i = 0; i < shown; i++) {
                Object element = array.get(i);
                head.add(element instanceof String str ? truncate(str, ARRAY_STRING_CHARS)
                        : summarize(element, array.elementType()));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("element_type", array.elementType().displayName());
            summary.put("length", array.length());
            summary.put("head", head);
            return summary;
        }
        if (value instanceof String s) {
            return truncate(s);
        }
        if (type == GgufValueType.UINT64 && value instanceof Long l && l < 0) {
            return Long.toUnsignedString(l);
        }
        return value;
    }

    private String truncate(String s) {
        return truncate(s, stringChars);
    }

    private static String truncate(String s, int chars) {
        if (s.length() <= chars) {
            return s;
        }
        return s.substring(0, chars) + "… (" + s.length() + " chars)";
    }

    private void printText(PrintWriter out, TensorFile model, Map<String, Object> report) {
        String format = report.get("format").equals("GGUF")
                ? "GGUF v" + report.get("version") + ", alignment " + report.get("alignment") : "safetensors";
        List<?> files = (List<?>) report.get("files");
        out.println(file + " (" + format + (files.size() > 1 ? ", " + files.size() + " files" : "") + ")");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) report.get("metadata");
        @SuppressWarnings("unchecked")
        Map<String, String> types = (Map<String, String>) report.get("metadata_types");
        out.println();
        out.println("Metadata (" + metadata.size() + " keys):");
        int keyWidth = metadata.keySet().stream().mapToInt(String::length).max().orElse(0);
        int typeWidth = types.values().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            out.printf("  %-" + keyWidth + "s  %-" + typeWidth + "s  %s%n", e.getKey(), types.get(e.getKey()),
                    text(e.getValue()));
        }
        if (!noTensors) {
            out.println();
            out.println("Tensors (" + model.tensors().size() + "), shape "
                    + (model instanceof GgufFile ? "in ggml order (ne[0] = row length first)" : "row-major") + ":");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("tensors");
            int nameWidth = Math.max(4, rows.stream().mapToInt(r -> r.get("name").toString().length()).max().orElse(0));
            boolean sharded = files.size() > 1;
            out.printf("  %-" + nameWidth + "s  %-7s  %-24s  %14s  %14s%s%n", "name", "type", "shape", "offset", "bytes",
                    sharded ? "  file" : "");
            for (Map<String, Object> r : rows) {
                out.printf("  %-" + nameWidth + "s  %-7s  %-24s  %14d  %14d%s%n", r.get("name"), r.get("type"),
                        Arrays.toString((long[]) r.get("shape")), (Long) r.get("offset"), (Long) r.get("bytes"),
                        sharded ? "  " + r.get("file") : "");
            }
        }
        out.println();
        long bytes = (Long) report.get("tensor_bytes");
        out.printf("Total: %d tensors, %,d parameters (%s), %,d bytes (%s)%n", (Integer) report.get("tensor_count"),
                (Long) report.get("parameter_count"), humanCount((Long) report.get("parameter_count")), bytes,
                humanBytes(bytes));
    }

    /** A summarized value as one line: strings quoted, arrays as {@code [N strings: "a", "b", ...]}. */
    private static String text(Object value) {
        if (value instanceof Map<?, ?> array) {
            long length = (Long) array.get("length");
            List<?> head = (List<?>) array.get("head");
            StringBuilder s = new StringBuilder("[").append(length).append(' ')
                    .append(plural((String) array.get("element_type"), length));
            if (!head.isEmpty()) {
                s.append(": ");
                for (int i = 0; i < head.size(); i++) {
                    s.append(i > 0 ? ", " : "").append(text(head.get(i)));
                }
                if (head.size() < length) {
                    s.append(", ...");
                }
            }
            return s.append(']').toString();
        }
        if (value instanceof String s) {
            return quote(s);
        }
        return String.valueOf(value);
    }

    private static String plural(String type, long n) {
        String word = type.equals("array") ? "array" : type;
        return n == 1 ? word : word + "s";
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }

    private static String humanBytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.2f %s", v, units[u]);
    }

    private static String toJson(Map<String, Object> report) throws JsonProcessingException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
    }
}
