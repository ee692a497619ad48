package dev.kopi.engine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints {@link BenchResult}s in llama-bench's markdown table and JSON formats. */
public final class BenchReport {
    private BenchReport() {}

    /**
     * llama-bench's markdown table: {@code | model | size | params | backend | threads | test | t/s |}, with the
     * same column widths and number formats.
     */
    public static String markdown(List<BenchResult> results) {
        String[] headers = {"model", "size", "params", "backend", "threads", "test", "t/s"};
        int[] widths = {-30, 10, 10, -10, 7, 15, 20}; // negative: left-aligned, as llama-bench's get_field_width
        StringBuilder out = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(headers);
        for (BenchResult r : results) {
            rows.add(new String[] {r.modelType(), size(r.modelSize()), params(r.modelParameters()), r.backend(),
                Integer.toString(r.threads()), r.testName(),
                String.format(Locale.ROOT, "%.2f ± %.2f", r.avgTs(), r.stddevTs())});
        }
        for (int row = 0; row < rows.size(); row++) {
            out.append('|');
            for (int c = 0; c < headers.length; c++) {
                int w = Math.abs(widths[c]);
                String v = rows.get(row)[c];
                out.append(' ').append(widths[c] < 0 ? String.format("%-" + w + "s", v) : String.format("%" + w + "s", v))
                        .append(" |");
            }
            out.append('\n');
            if (row == 0) {
                out.append('|');
                for (int width : widths) {
                    out.append(' ').append("-".repeat(Math.abs(width) - 1)).append(width > 0 ? ':' : '-').append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** llama-bench's {@code -o json}: an array of objects with its field names. */
    public static String json(List<BenchResult> results) {
        return results.stream().map(BenchReport::jsonObject).collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }

    private static String jsonObject(BenchResult r) {
        List<String> fields = new ArrayList<>();
        fields.add(field("model_filename", quote(r.modelFilename())));
        fields.add(field("model_type", quote(r.modelType())));
        fields.add(field("model_size", Long.toString(r.modelSize())));
        fields.add(field("model_n_params", Long.toString(r.modelParameters())));
        fields.add(field("backends", quote(r.backend())));
        fields.add(field("n_batch", Integer.toString(r.batchSize())));
        fields.add(field("n_threads", Integer.toString(r.threads())));
        fields.add(field("n_prompt", Integer.toString(r.promptTokens())));
        fields.add(field("n_gen", Integer.toString(r.generatedTokens())));
        fields.add(field("n_depth", "0"));
        fields.add(field("test_time", quote(r.testTime())));
        fields.add(field("avg_ns", Long.toString(r.avgNs())));
        fields.add(field("stddev_ns", Long.toString(r.stddevNs())));
        fields.add(field("avg_ts", String.format(Locale.ROOT, "%.6f", r.avgTs())));
        fields.add(field("stddev_ts", String.format(Locale.ROOT, "%.6f", r.stddevTs())));
        fields.add(field("samples_ns", "[ " + joinLongs(r.samplesNs()) + " ]"));
        fields.add(field("samples_ts", "[ " + joinDoubles(r.samplesTs()) + " ]"));
        return "  {\n" + String.join(",\n", fields) + "\n  }";
    }

    private static String field(String name, String value) {
        return "    \"" + name + "\": " + value;
    }

    private static String joinLongs(long[] values) {
        List<String> parts = new ArrayList<>();
        for (long v : values) {
            parts.add(Long.toString(v));
        }
        return String.join(", ", parts);
    }

    private static String joinDoubles(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%.6g", v));
        }
        return String.join(", ", parts);
    }

    /** A JSON string literal; escapes quotes, backslashes and control characters. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** llama-bench's size column: MiB below 1 GiB, else GiB. */
    static String size(long bytes) {
        return bytes < 1024L * 1024 * 1024
                ? String.format(Locale.ROOT, "%.2f MiB", bytes / 1024.0 / 1024.0)
                : String.format(Locale.ROOT, "%.2f GiB", bytes / 1024.0 / 1024.0 / 1024.0);
    }

    /** llama-bench's params column: M below a billion, else B. */
    static String params(long n) {
        return n < 1_000_000_000L
                ? String.format(Locale.ROOT, "%.2f M", n / 1e6)
                : String.format(Locale.ROOT, "%.2f B", n / 1e9);
    }
}
