package dev.kopi.eval.report;

import java.util.List;
import java.util.Locale;

/** Small helpers for self-contained HTML reports: escaping, a page shell and an inline SVG bar chart. */
public final class Html {
    private Html() {}

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A complete page with kopi's minimal style; {@code body} is trusted HTML. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                + "th,td{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}"
                + "th{background:#f3f3f3}.se{color:#888;font-size:85%}svg text{font-size:12px;font-family:system-ui,sans-serif}</style>"
                + "</head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    /** One bar: a label, a value and its standard error (0 for none). */
    public record Bar(String label, double value, double error) {}

    /**
     * A horizontal bar chart with error whiskers, scaled to {@code max} (the largest value when {@code max} is 0).
     */
    public static String barChart(List<Bar> bars, double max, String unit) {
        double top = max > 0 ? max : bars.stream().mapToDouble(b -> b.value() + b.error()).max().orElse(1);
        if (top <= 0) {
            top = 1;
        }
        int labelWidth = 180;
        int plotWidth = 420;
        int rowHeight = 22;
        int height = rowHeight * bars.size() + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
                labelWidth + plotWidth + 80, height));
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = i * rowHeight + 5;
            double width = Math.max(0, bar.value()) / top * plotWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelWidth - 6, y + 14,
                    escape(bar.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#3b7dd8\"/>", labelWidth, y,
                    width));
            if (bar.error() > 0) {
                double lo = Math.max(0, bar.value() - bar.error()) / top * plotWidth + labelWidth;
                double hi = Math.min(top, bar.value() + bar.error()) / top * plotWidth + labelWidth;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>", lo, hi, y + 8, y + 8));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", labelWidth + width + 6, y + 13,
                    escape(format(bar.value()) + unit)));
        }
        return svg.append("</svg>\n").toString();
    }

    public static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
