package dev.kopi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import dev.kopi.engine.bench.BenchReport;
import dev.kopi.engine.bench.BenchResult;
import dev.kopi.engine.bench.EngineBenchTarget;
import dev.kopi.engine.bench.LlamaBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kopi bench}: llama-bench's tests, table and JSON, run on kopi's engine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt processing (ppN) and generation (tgN) speed as llama-bench does:",
            "a warm-up, then -r timed runs per test, reported as mean ± standard deviation of tokens/s."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, split = ",", description = "GGUF model file(s).")
    List<Path> models;

    @Option(names = {"-p", "--n-prompt"}, split = ",", defaultValue = "512", description = "Prompt lengths (default: ${DEFAULT-VALUE}).")
    List<Integer> prompts;

    @Option(names = {"-n", "--n-gen"}, split = ",", defaultValue = "128", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> generations;

    @Option(names = {"-t", "--threads"}, split = ",", description = "Thread counts (default: all cores).")
    List<Integer> threads;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", description = "Timed runs per test (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "2048", description = "Tokens per call in prompt tests (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"-o", "--output"}, defaultValue = "md", description = "md or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--no-warmup", description = "Skip the warm-up runs.")
    boolean noWarmup;

    @Override
    public Integer call() {
        if (!output.equals("md") && !output.equals("json")) {
            throw new UserError("-o takes md or json, not '" + output + "'");
        }
        List<Integer> threadCounts = threads == null || threads.isEmpty()
                ? List.of(Runtime.getRuntime().availableProcessors()) : threads;
        LlamaBench.Plan plan;
        try {
            plan = new LlamaBench.Plan(prompts, generations, threadCounts, repetitions, batchSize, !noWarmup);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        int context = Math.max(1, Collections.max(prompts) + Collections.max(generations));
        List<BenchResult> results = new ArrayList<>();
        for (Path model : models) {
            if (!Files.isRegularFile(model)) {
                throw new UserError("no model file at " + model);
            }
            try (EngineBenchTarget target = new EngineBenchTarget(model, context, threadCounts.getFirst())) {
                results.addAll(LlamaBench.run(target, model.toString(), "CPU", plan));
            }
        }
        System.out.print(output.equals("json") ? BenchReport.json(results) : BenchReport.markdown(results));
        return 0;
    }
}
