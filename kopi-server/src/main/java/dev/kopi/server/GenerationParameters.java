package dev.kopi.server;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.sample.SamplerSettings;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generation parameters chat and text completions share, read from a request with OpenAI's names and ranges
 * (plus llama-server's and vLLM's extensions: {@code top_k}, {@code min_p}, {@code repeat_penalty} or
 * {@code repetition_penalty}, {@code repeat_last_n}, {@code ignore_eos}). What a request leaves out comes from the server's default
 * sampling, as llama-server does; without a seed each request draws a random one.
 *
 * @param options      sampling, token limit and stop strings
 * @param stream       answer as server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a last event with the token counts
 * @param ignoreEos    generate past end-of-generation tokens, up to the token limit (for benchmarks)
 */
record GenerationParameters(GenerationOptions options, boolean stream, boolean includeUsage, boolean ignoreEos) {

    /**
     * @param defaultMaxTokens tokens to generate when the request sets no limit; -1 for "until the context is full"
     * @param minMaxTokens     the smallest limit a request may set (0 lets a completion only score its prompt)
     */
    static GenerationParameters read(RequestFields request, SamplerSettings defaults, int defaultMaxTokens,
                                     int minMaxTokens) {
        Long n = request.integer("n", 1, Integer.MAX_VALUE);
        if (n != null && n != 1) {
            throw ApiError.unsupported("'n' must be 1: kopi generates one choice per prompt, got " + n, "n");
        }
        request.requireAbsentOr("best_of", IntNode.valueOf(1), "must be 1: kopi generates one choice per prompt");
        if (request.has("logit_bias") && !request.node("logit_bias").isEmpty()) {
            throw ApiError.unsupported("'logit_bias' is not supported", "logit_bias");
        }
        SamplerSettings sampling = sampling(request, defaults);
        Long max = request.integer("max_completion_tokens", minMaxTokens, Integer.MAX_VALUE);
        if (max == null) {
            max = request.integer("max_tokens", minMaxTokens, Integer.MAX_VALUE);
        }
        List<String> stop = request.strings("stop");
        boolean stream = request.bool("stream", false);
        RequestFields streamOptions = request.object("stream_options");
        if (streamOptions != null && !stream) {
            throw ApiError.invalid("'stream_options' is only allowed when 'stream' is true", "stream_options");
        }
        boolean includeUsage = streamOptions != null && streamOptions.bool("include_usage", false);
        GenerationOptions options = GenerationOptions.of(sampling, max == null ? defaultMaxTokens : max.intValue())
                .withStopStrings(stop);
        return new GenerationParameters(options, stream, includeUsage, request.bool("ignore_eos", false));
    }

    private static SamplerSettings sampling(RequestFields request, SamplerSettings defaults) {
        Double temperature = request.number("temperature", 0, 2);
        Double topP = request.number("top_p", 0, 1);
        Long topK = request.integer("top_k", -1, Integer.MAX_VALUE);
        Double minP = request.number("min_p", 0, 1);
        Double presence = request.number("presence_penalty", -2, 2);
        Double frequency = request.number("frequency_penalty", -2, 2);
        Double repeat = request.has("repeat_penalty") ? request.number("repeat_penalty", 0, Float.MAX_VALUE)
                : request.number("repetition_penalty", 0, Float.MAX_VALUE);
        if (repeat != null && repeat == 0) {
            String name = request.has("repeat_penalty") ? "repeat_penalty" : "repetition_penalty";
            throw ApiError.invalid("'" + name + "' must be positive (1 disables it), got 0", name);
        }
        Long lastN = request.integer("repeat_last_n", -1, Integer.MAX_VALUE);
        Long seed = request.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new SamplerSettings(
                temperature != null ? temperature.floatValue() : defaults.temperature(),
                topK != null ? topK.intValue() : defaults.topK(),
                topP != null ? topP.floatValue() : defaults.topP(),
                minP != null ? minP.floatValue() : defaults.minP(),
                repeat != null ? repeat.floatValue() : defaults.repeatPenalty(),
                presence != null ? presence.floatValue() : defaults.presencePenalty(),
                frequency != null ? frequency.floatValue() : defaults.frequencyPenalty(),
                lastN != null ? lastN.intValue() : defaults.penaltyLastN(),
                seed != null ? seed : ThreadLocalRandom.current().nextLong());
    }
}
