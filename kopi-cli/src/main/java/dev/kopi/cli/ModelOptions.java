package dev.kopi.cli;

import dev.kopi.engine.sample.SamplerSettings;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Options shared by the commands that run a model: sampling, threads and context. */
final class ModelOptions {
    @Option(names = {"-t", "--threads"}, description = "Worker threads (default: all processors).")
    Integer threads;

    @Option(names = {"-c", "--ctx-size"}, description = "Context length in tokens (default: 4096, at most the model's).")
    Integer context;

    @Option(names = "--temp", defaultValue = "0.8", description = "Temperature; 0 picks the most likely token (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Keep the K most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling threshold (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "Drop tokens below P times the best (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "Repetition penalty; 1 disables (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0.0", description = "Presence penalty (default: ${DEFAULT-VALUE}).")
    float presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0.0", description = "Frequency penalty (default: ${DEFAULT-VALUE}).")
    float frequencyPenalty;

    @Option(names = "--repeat-last-n", defaultValue = "64", description = "Tokens the penalties look back over; -1 = whole context (default: ${DEFAULT-VALUE}).")
    int penaltyLastN;

    @Option(names = {"-s", "--seed"}, description = "Random seed, for reproducible runs (default: random).")
    Long seed;

    /** Default context when none is given: enough for chat, small enough for the KV cache to stay modest. */
    static final int DEFAULT_CONTEXT = 4096;

    SamplerSettings sampling() {
        try {
            return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, presencePenalty,
                    frequencyPenalty, penaltyLastN, seed != null ? seed : System.nanoTime());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    int threads() {
        return threads(threads);
    }

    int context(int modelContext) {
        if (context == null) {
            return Math.min(DEFAULT_CONTEXT, modelContext);
        }
        if (context < 1) {
            throw new UserError("context length must be positive, got " + context);
        }
        return context;
    }

    static int threads(Integer requested) {
        if (requested == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (requested < 1) {
            throw new UserError("thread count must be at least 1, got " + requested);
        }
        return requested;
    }

    static void requireFile(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new UserError("model file " + model + " does not exist");
        }
    }
}
