package dev.kopi.eval.run;

import java.nio.file.Path;
import java.util.List;

import dev.kopi.eval.backend.OpenAiBackend;

/** Runs the fixture suite in a child JVM, for {@link ResumeAfterKillTest}: args tasksDir outDir modelUrl metricxUrl. */
public final class ResumeChild {
    private ResumeChild() {}

    public static void main(String[] args) throws Exception {
        try (OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(args[2], null, "fixture-model").withConcurrency(2));
                OpenAiBackend judge = new OpenAiBackend(OpenAiBackend.Settings.of(args[3], null, "metricx-24"))) {
            EvalOptions options = new EvalOptions(Path.of(args[0]), "fixture", List.of(), List.of(), 2, 0, false, null, 0, 0,
                    Path.of(args[1]), judge, null, null, null);
            new EvalRunner(options, backend).run();
        }
    }
}
