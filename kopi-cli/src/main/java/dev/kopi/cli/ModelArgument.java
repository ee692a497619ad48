package dev.kopi.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;

import dev.kopi.hub.ConsoleProgress;
import dev.kopi.hub.DefaultModel;
import dev.kopi.hub.ModelResolver;
import dev.kopi.hub.ProgressListener;
import dev.kopi.hub.Prompt;
import picocli.CommandLine.Option;

/**
 * The {@code -m} option of the commands that run a model: a GGUF path, a cached hub name, or a hub name that is
 * pulled after asking (at once with {@code --yes}). Without {@code -m}, the default SEA-LION model.
 */
final class ModelArgument {
    @Option(names = {"-m", "--model"},
            description = "GGUF file, or a Hugging Face name (org/name[:QUANT]) from the cache or pulled on demand "
                    + "(default: $KOPI_MODEL or " + DefaultModel.SPEC + ").")
    String spec;

    @Option(names = {"-y", "--yes"}, description = "Pull a model that is not cached without asking.")
    boolean assumeYes;

    /** The local model file, pulled first if needed (through the hub and cache the hub commands use). */
    Path resolve() {
        if (spec != null && looksLikePath(spec)) {
            Path file = Path.of(spec);
            ModelOptions.requireFile(file);
            return file;
        }
        Console console = System.console();
        ProgressListener progress = new ConsoleProgress(new PrintWriter(System.err, true),
                console != null && console.isTerminal());
        Path model = new ModelResolver(PullCommand.client(), PullCommand.environment)
                .resolve(spec, assumeYes, Prompt.of(console), progress);
        ModelOptions.requireFile(model);
        return model;
    }

    /** A spec that can only mean a file, so a missing one is reported as such rather than looked up on the hub. */
    static boolean looksLikePath(String spec) {
        return spec.endsWith(".gguf") || spec.startsWith("/") || spec.startsWith(".") || spec.startsWith("~");
    }
}
