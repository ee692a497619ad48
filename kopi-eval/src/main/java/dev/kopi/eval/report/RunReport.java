package dev.kopi.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.JsonLines;

/**
 * The HTML report of one evaluation: SEA average, a language × competency table with standard errors, per-task
 * scores, charts as inline SVG, and the tasks that were skipped. Self-contained: one file, no scripts, no fetches.
 */
public final class RunReport {
    private RunReport() {}

    /** Reads {@code scores.json} of a run folder. */
    public static JsonNode readScores(Path runDir) {
        Path file = runDir.resolve("scores.json");
        if (!Files.isRegularFile(file)) {
            throw new EvalConfigException(runDir + " has no scores.json (not a finished kopi eval run)");
        }
        try {
            return JsonLines.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new EvalConfigException(file + ": unreadable (" + e.getMessage() + ")", e);
        }
    }

    /** Writes {@code report.html} into the run folder and returns its path. */
    public static Path write(Path runDir) throws IOException {
        Path file = runDir.resolve("report.html");
        Files.writeString(file, html(readScores(runDir)));
        return file;
    }

    public static String html(JsonNode scores) {
        String model = scores.path("model").asText("model");
        StringBuilder body = new StringBuilder();
        if (scores.has("sea_mean")) {
            body.append("<p><b>SEA average</b>: ").append(Html.format(scores.path("sea_mean").asDouble()))
                    .append(" <span class=\"se\">± ").append(Html.format(scores.path("sea_stderr").asDouble())).append("</span>")
                    .append(" (languages id, vi, th, ta, tl, ms, my that were run)</p>\n");
        }
        JsonNode languages = scores.path("languages");
        Set<String> competencies = new LinkedHashSet<>();
        languages.properties().forEach(l -> l.getValue().path("competencies").fieldNames().forEachRemaining(competencies::add));
        body.append("<h2>Language × competency</h2>\n<table><tr><th>language</th><th>overall</th>");
        competencies.forEach(c -> body.append("<th>").append(Html.escape(c)).append("</th>"));
        body.append("</tr>\n");
        List<Html.Bar> languageBars = new ArrayList<>();
        languages.properties().forEach(entry -> {
            JsonNode lang = entry.getValue();
            languageBars.add(new Html.Bar(entry.getKey(), lang.path("mean").asDouble(), lang.path("stderr").asDouble()));
            body.append("<tr><td>").append(Html.escape(entry.getKey())).append("</td>").append(cell(lang));
            for (String c : competencies) {
                JsonNode comp = lang.path("competencies").path(c);
                body.append(comp.isMissingNode() ? "<td>–</td>" : cell(comp));
            }
            body.append("</tr>\n");
        });
        body.append("</table>\n<h2>Languages</h2>\n").append(Html.barChart(languageBars, 100, ""));
        body.append("<h2>Tasks</h2>\n<table><tr><th>language</th><th>competency</th><th>task</th><th>score</th></tr>\n");
        List<Html.Bar> taskBars = new ArrayList<>();
        languages.properties().forEach(l -> l.getValue().path("competencies").properties().forEach(c -> {
            c.getValue().path("tasks").properties().forEach(t -> {
                String group = t.getValue().path("aggregation_group").asText("");
                body.append("<tr><td>").append(Html.escape(l.getKey())).append("</td><td>").append(Html.escape(c.getKey()))
                        .append("</td><td>").append(Html.escape(t.getKey()))
                        .append(group.isEmpty() ? "" : " <span class=\"se\">(in " + Html.escape(group) + ")</span>")
                        .append("</td>").append(cell(t.getValue())).append("</tr>\n");
                taskBars.add(new Html.Bar(l.getKey() + " " + t.getKey(), t.getValue().path("mean").asDouble(),
                        t.getValue().path("stderr").asDouble()));
            });
            c.getValue().path("aggregation_groups").properties().forEach(g -> body.append("<tr><td>").append(Html.escape(l.getKey()))
                    .append("</td><td>").append(Html.escape(c.getKey())).append("</td><td><b>").append(Html.escape(g.getKey()))
                    .append("</b> (group)</td>").append(cell(g.getValue())).append("</tr>\n"));
        }));
        body.append("</table>\n").append(Html.barChart(taskBars, 100, ""));
        JsonNode skipped = scores.path("skipped");
        if (skipped.size() > 0) {
            body.append("<h2>Skipped</h2>\n<ul>\n");
            skipped.properties().forEach(s -> body.append("<li>").append(Html.escape(s.getKey())).append(": ")
                    .append(Html.escape(s.getValue().asText())).append("</li>\n"));
            body.append("</ul>\n");
        }
        body.append("<p class=\"se\">Scores are SEA-HELM normalised scores (0–100) with standard errors over ")
                .append(scores.path("mean_list").size()).append(" bootstrap resamples.</p>\n");
        return Html.page("kopi eval: " + model, body.toString());
    }

    private static String cell(JsonNode estimate) {
        return "<td>" + Html.format(estimate.path("mean").asDouble()) + " <span class=\"se\">± "
                + Html.format(estimate.path("stderr").asDouble()) + "</span></td>";
    }
}
