package dev.kopi.cli;

import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kopi logits}: the logits of every prompt position, for comparing engines. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Write the logits of every prompt position as float32 little-endian, one row of "
                + "vocabulary size per position.")
public final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelArgument modelArgument;

    @Option(names = "--prompt-ids", required = true, split = ",", description = "Prompt token ids, comma-separated.")
    int[] promptIds;

    @Option(names = {"-o", "--output"}, required = true, description = "File to write.")
    Path output;

    @Option(names = {"-t", "--threads"}, description = "Worker threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() {
        Path model = modelArgument.resolve();
        try (Model m = ModelLoader.load(model, ModelOptions.threads(threads))) {
            float[] logits = m.logitsForAllPositions(promptIds);
            write(logits, output);
            System.err.printf("kopi: wrote %d x %d logits to %s%n", promptIds.length, m.vocabularySize(), output);
        }
        return 0;
    }

    private static void write(float[] values, Path file) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (float v : values) {
                if (!buffer.hasRemaining()) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(v);
            }
            out.write(buffer.array(), 0, buffer.position());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
