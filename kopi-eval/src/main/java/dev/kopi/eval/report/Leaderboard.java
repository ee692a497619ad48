package dev.kopi.eval.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Several evaluations side by side, best SEA average first, each score with its standard error. */
public final class Leaderboard {
    /** One model's row: SEA average and per-language means and standard errors. */
    public record Row(String model, Path runDir, double sea, double seaStderr, Map<String, double[]> languages) {}

    private final List<Row> rows;
    private final List<String> languages;

    private Leaderboard(List<Row> rows, List<String> languages) {
        this.rows = rows;
        this.languages = languages;
    }

    public static Leaderboard of(List<Path> runDirs) {
        List<Row> rows = new ArrayList<>();
        Set<String> languages = new LinkedHashSet<>();
        for (Path dir : runDirs) {
            JsonNode scores = RunReport.readScores(dir);
            Map<String, double[]> perLanguage = new TreeMap<>();
            scores.path("languages").properties().forEach(l -> {
                perLanguage.put(l.getKey(), new double[] {l.getValue().path("mean").asDouble(), l.getValue().path("stderr").asDouble()});
                languages.add(l.getKey());
            });
            rows.add(new Row(scores.path("model").asText(dir.getFileName().toString()), dir,
                    scores.path("sea_mean").asDouble(Double.NaN), scores.path("sea_stderr").asDouble(0), perLanguage));
        }
        rows.sort(Comparator.comparingDouble((Row r) -> Double.isNaN(r.sea()) ? Double.NEGATIVE_INFINITY : r.sea()).reversed());
        return new Leaderboard(List.copyOf(rows), List.copyOf(languages));
    }

    public List<Row> rows() {
        return rows;
    }

    /** A plain-text table for the terminal. */
    public String text() {
        StringBuilder out = new StringBuilder();
        int modelWidth = Math.max(5, rows.stream().mapToInt(r -> r.model().length()).max().orElse(5));
        out.append(String.format(Locale.ROOT, "%-4s %-" + modelWidth + "s %15s", "rank", "model", "SEA"));
        languages.forEach(l -> out.append(String.format(Locale.ROOT, " %15s", l)));
        out.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            out.append(String.format(Locale.ROOT, "%-4d %-" + modelWidth + "s %15s", i + 1, row.model(), score(row.sea(), row.seaStderr())));
            for (String l : languages) {
                double[] s = row.languages().get(l);
                out.append(String.format(Locale.ROOT, " %15s", s == null ? "-" : score(s[0], s[1])));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A self-contained HTML page with the table and a chart of SEA averages. */
    public String html() {
        StringBuilder body = new StringBuilder("<table><tr><th>rank</th><th>model</th><th>SEA</th>");
        languages.forEach(l -> body.append("<th>").append(Html.escape(l)).append("</th>"));
        body.append("</tr>\n");
        List<Html.Bar> bars = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            bars.add(new Html.Bar(row.model(), Double.isNaN(row.sea()) ? 0 : row.sea(), row.seaStderr()));
            body.append("<tr><td>").append(i + 1).append("</td><td>").append(Html.escape(row.model())).append("</td><td>")
                    .append(Html.escape(score(row.sea(), row.seaStderr()))).append("</td>");
            for (String l : languages) {
                double[] s = row.languages().get(l);
                body.append("<td>").append(s == null ? "–" : Html.escape(score(s[0], s[1]))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n").append(Html.barChart(bars, 100, ""));
        return Html.page("kopi eval leaderboard", body.toString());
    }

    private static String score(double mean, double stderr) {
        return Double.isNaN(mean) ? "-" : String.format(Locale.ROOT, "%.2f±%.2f", mean, stderr);
    }
}
