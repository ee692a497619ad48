package dev.kopi.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.UnsupportedArchitectureException;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.SyntheticTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kopi synth}: writes a random-weight model in a real shape, with a real tokenizer and chat template. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {
            "Write a random-weight model in the shape of a real one, carrying a real tokenizer and chat template,",
            "for tests and for capacity planning (e.g. benchmark a 32B without downloading it)."})
final class SynthCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = "qwen3",
            description = "qwen3, llama, apertus, gemma3 or gemma2 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--shape", required = true, description = "qwen3: tiny, 0.6b, 1.7b, 4b, 8b, 14b, 32b; "
            + "llama: tiny, 8b, 70b; apertus: tiny, 8b; gemma3: tiny, 1b, 4b, 12b, 27b; gemma2: tiny, 2b, 9b, 27b.")
    String shape;

    @Option(names = "--type", defaultValue = "Q8_0",
            description = "F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K_S/M/L, Q4_K_S/M, Q5_K_S/M, Q6_K "
                    + "(default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--tokenizer", required = true,
            description = "A folder with tokenizer.json (and tokenizer_config.json for the chat template), or the "
                    + "tokenizer.json itself.")
    Path tokenizer;

    @Option(names = {"-o", "--output"}, required = true, description = "The GGUF file to write.")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Weights are a function of this seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", description = "Standard deviations MATRIX[,EMBEDDING[,NORM_NOISE]] of the random "
            + "weights (default: 0.03,0.08,0.02).")
    String scale;

    @Option(names = {"-t", "--threads"}, description = "Threads generating and quantizing weights (default: all cores).")
    Integer threads;

    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Architecture architecture;
        try {
            architecture = Architecture.fromGguf(arch);
        } catch (UnsupportedArchitectureException e) {
            throw new UserError(e.getMessage());
        }
        ModelShape s = parse(() -> ModelShape.named(architecture, shape));
        FileType t = parse(() -> FileType.named(type));
        SyntheticTensor.Scales scales = scale == null ? SyntheticTensor.Scales.DEFAULT : parse(() -> scales(scale));
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new UserError("--threads must be at least 1");
        }
        if (!Files.exists(tokenizer)) {
            throw new UserError("no tokenizer at " + tokenizer);
        }
        if (Files.exists(output) && !force) {
            throw new UserError(output + " exists; pass --force to overwrite it");
        }
        ModelSynthesizer synth = new ModelSynthesizer(new ModelSynthesizer.Spec(s, t, seed, scales, n));
        long start = System.nanoTime();
        synth.write(output, tokenizer);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %s: %s %s, %d tensors, %.2f GiB of weights, %,d parameters, in %.1f s%n",
                output, s, t, synth.tensors().size(), synth.tensorBytes() / (double) (1L << 30),
                s.parameterCount(), seconds);
        return 0;
    }

    private static SyntheticTensor.Scales scales(String text) {
        String[] parts = text.split(",");
        if (parts.length > 3) {
            throw new IllegalArgumentException("--scale takes MATRIX[,EMBEDDING[,NORM_NOISE]], not '" + text + "'");
        }
        SyntheticTensor.Scales d = SyntheticTensor.Scales.DEFAULT;
        try {
            double matrix = Double.parseDouble(parts[0].strip());
            double embedding = parts.length > 1 ? Double.parseDouble(parts[1].strip()) : d.embedding();
            double noise = parts.length > 2 ? Double.parseDouble(parts[2].strip()) : d.normNoise();
            return new SyntheticTensor.Scales(matrix, embedding, noise);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale takes numbers, not '" + text + "'");
        }
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
