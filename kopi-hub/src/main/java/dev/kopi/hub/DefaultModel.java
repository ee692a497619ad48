package dev.kopi.hub;

import java.util.Map;

/**
 * The model kopi runs when no {@code -m} is given: the smallest SEA-LION v4 text model with an official GGUF
 * release, at the quant Ollama-style tools default to. {@code KOPI_MODEL} replaces it (a path or a name).
 */
public final class DefaultModel {
    /** AI Singapore's Apertus-SEA-LION-v4-8B-IT, 8B parameters, Q4_K_M (about 5 GB). */
    public static final String SPEC = "aisingapore/Apertus-SEA-LION-v4-8B-IT-GGUF:Q4_K_M";

    /** The environment variable that names another default model. */
    public static final String ENVIRONMENT_VARIABLE = "KOPI_MODEL";

    private DefaultModel() {}

    /** The default model spec for this environment. */
    public static String spec(Map<String, String> env) {
        String chosen = env.get(ENVIRONMENT_VARIABLE);
        return chosen == null || chosen.isBlank() ? SPEC : chosen.strip();
    }
}
