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
    QWEN3("qwen3", Rope.Style.NEOX),
    LLAMA("llama", Rope.Style.NORMAL),
    APERTUS("apertus", Rope.Style.NEOX),
    GEMMA2("gemma2", Rope.Style.NEOX),
    GEMMA3("gemma3", Rope.Style.NEOX);

    private final String ggufName;
    private final Rope.Style ropeStyle;

    Architecture(String ggufName, Rope.Style ropeStyle) {
        this.ggufName = ggufName;
        this.ropeStyle = ropeStyle;
    }

    /** The name GGUF files use, also the prefix of the architecture's metadata keys. */
    public String ggufName() {
        return ggufName;
    }

    /** Which values of a head RoPE rotates together (llama.cpp's {@code llama_model_rope_type}). */
    public Rope.Style ropeStyle() {
        return ropeStyle;
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
