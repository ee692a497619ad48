package dev.kopi.eval.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.kopi.eval.backend.Backend;
import dev.kopi.eval.data.DatasetFiles;

/**
 * Settings of one evaluation.
 *
 * @param suite          a suite of {@code task_config.yaml} (e.g. {@code seahelm}), or null when {@code tasks} is given
 * @param tasks          task keys or aggregation groups; used when {@code suite} is null
 * @param languages      only these languages; empty for all of the selection
 * @param runs           independent runs (SEA-HELM uses 8); run r samples with seed {@code seed + r}
 * @param baseModel      5-shot multi-turn prompting and blank-line stops, as SEA-HELM does for base models
 * @param thinking       sent as {@code chat_template_kwargs.enable_thinking}; null to send nothing
 * @param maxThinkTokens added to each task's {@code max_tokens} when thinking is on
 * @param limit          at most this many items per task language; 0 for all
 * @param metricx        the MetricX-24 endpoint for translation tasks, or null
 * @param judge          the LLM judge for criteria-judged tasks (kalahi-judge, mt-bench-judge), or null
 * @param hub            Hugging Face dataset access, or null for local data only
 * @param progress       where the progress bar goes, or null
 */
public record EvalOptions(
        Path tasksDir, String suite, List<String> tasks, List<String> languages, int runs, long seed, boolean baseModel,
        Boolean thinking, int maxThinkTokens, int limit, Path outDir, Backend metricx, Backend judge, DatasetFiles hub,
        PrintStream progress) {
    public EvalOptions {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        languages = languages == null ? List.of() : List.copyOf(languages);
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        if (suite == null && tasks.isEmpty()) {
            throw new IllegalArgumentException("choose a suite or a list of tasks");
        }
    }
}
