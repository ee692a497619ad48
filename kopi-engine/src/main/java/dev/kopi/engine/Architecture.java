package dev.kopi.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model families the engine runs, named as GGUF's {@code general.architecture} names them. Each one reads
 * its hyper-parameters under its own metadata prefix ({@code qwen3.block_count}, ...) and builds its own
 * forward pass.
 */
public enum Architecture {
    QWEN3("qwen3");

    private final String ggufName;

    Architecture(String ggufName) {
        this.ggufName = ggufName;
    }

    /** The name GGUF files use, also the prefix of the architecture's metadata keys. */
    public String ggufName() {
        return ggufName;
    }

    /**
     * The architecture GGUF calls {@code name}.
     *
     * @throws UnsupportedArchitectureException if the engine has no forward pass for it
     */
    public static Architecture fromGguf(String name) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new UnsupportedArchitectureException(name);
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(Architecture::ggufName).collect(Collectors.joining(", "));
    }
}
