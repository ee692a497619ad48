package dev.kopi.engine.sample;

/**
 * How the next token is chosen, with llama.cpp's meanings and defaults.
 *
 * @param temperature      logits are divided by it before the final draw; {@code <= 0} means greedy (argmax)
 * @param topK             keep the {@code topK} most likely tokens; {@code <= 0} keeps all
 * @param topP             keep the smallest set of most likely tokens whose probability reaches {@code topP}
 * @param minP             drop tokens less likely than {@code minP} times the most likely one
 * @param repeatPenalty    divide positive (multiply negative) logits of recent tokens by it; 1 disables
 * @param presencePenalty  subtract it from the logits of recent tokens
 * @param frequencyPenalty subtract it times the count of each recent token
 * @param penaltyLastN     how many recent tokens the penalties look at; 0 disables them, -1 means the context
 * @param seed             seed of the random draw: equal seeds give equal runs
 */
public record SamplerSettings(float temperature, int topK, float topP, float minP, float repeatPenalty,
                              float presencePenalty, float frequencyPenalty, int penaltyLastN, long seed) {

    public SamplerSettings {
        check(Float.isFinite(temperature), "temperature must be a number, got " + temperature);
        check(topP >= 0 && topP <= 1, "top-p must be within [0, 1], got " + topP);
        check(minP >= 0 && minP <= 1, "min-p must be within [0, 1], got " + minP);
        check(repeatPenalty > 0 && Float.isFinite(repeatPenalty), "repeat penalty must be positive, got " + repeatPenalty);
        check(Float.isFinite(presencePenalty) && Float.isFinite(frequencyPenalty), "penalties must be numbers");
        check(penaltyLastN >= -1, "penalty window must be -1 (whole context) or more, got " + penaltyLastN);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties over 64 tokens. */
    public static SamplerSettings defaults(long seed) {
        return new SamplerSettings(0.8f, 40, 0.95f, 0.05f, 1.0f, 0.0f, 0.0f, 64, seed);
    }

    /** Always the most likely token. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0.0f, 0, 1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 64, 0);
    }

    public SamplerSettings withTemperature(float t) {
        return new SamplerSettings(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerSettings withTopK(int k) {
        return new SamplerSettings(temperature, k, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerSettings withTopP(float p) {
        return new SamplerSettings(temperature, topK, p, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerSettings withMinP(float p) {
        return new SamplerSettings(temperature, topK, topP, p, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerSettings withPenalties(float repeat, float presence, float frequency, int lastN) {
        return new SamplerSettings(temperature, topK, topP, minP, repeat, presence, frequency, lastN, seed);
    }

    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, s);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
