package dev.kopi.cli;

import dev.kopi.hub.ConsoleProgress;
import dev.kopi.hub.HubClient;
import dev.kopi.hub.HubConfig;
import dev.kopi.hub.ModelSpec;
import dev.kopi.hub.ProgressListener;
import dev.kopi.hub.PullResult;
import dev.kopi.hub.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kopi pull}: downloads a model (or data set) from the Hugging Face hub into the shared hub cache. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a model from the Hugging Face hub into the hub cache shared with Python tools.",
                "Examples: kopi pull aisingapore/Gemma-SEA-LION-v4-27B-IT-GGUF:Q4_K_M",
                "          kopi pull org/name:file.gguf     kopi pull org/safetensors-model",
                "Environment: HF_TOKEN (gated models), HF_ENDPOINT (mirror), HF_HOME / HF_HUB_CACHE (cache), "
                        + "HF_HUB_OFFLINE=1 (cache only)."})
public final class PullCommand implements Callable<Integer> {
    /** The environment the hub commands read; tests replace it. */
    static Map<String, String> environment = System.getenv();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPO[:QUANT|:FILE]", description = "e.g. org/name:Q4_K_M, org/name:file.gguf, datasets/org/name")
    String model;

    @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = {"-q", "--quiet"}, description = "No progress output; print only the model path.")
    boolean quiet;

    @Override
    public Integer call() {
        ModelSpec modelSpec = parse(model);
        HubClient client = client();
        ProgressListener progress = quiet ? ProgressListener.NONE
                : new ConsoleProgress(spec.commandLine().getErr(), System.console() != null && System.console().isTerminal());
        PullResult result = client.pull(modelSpec, revision, progress);
        if (!quiet) {
            spec.commandLine().getErr().println("pulled " + modelSpec + " (" + result.files().size()
                    + (result.files().size() == 1 ? " file, " : " files, ") + Sizes.human(result.bytes()) + ") at "
                    + result.commit().substring(0, Math.min(10, result.commit().length())));
        }
        spec.commandLine().getOut().println(result.modelPath());
        return 0;
    }

    /** A client for the hub and cache this environment names. */
    static HubClient client() {
        return new HubClient(HubConfig.fromEnvironment(environment, Path.of(System.getProperty("user.home"))));
    }

    static ModelSpec parse(String text) {
        try {
            return ModelSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
