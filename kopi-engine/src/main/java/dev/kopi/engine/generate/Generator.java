package dev.kopi.engine.generate;

import dev.kopi.engine.Model;
import dev.kopi.tokenizer.Tokenizer;

import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Text generation over a {@link Session}: prefill (reusing the cached prefix), sampling, streaming decode to
 * UTF-8-safe text, stop strings, end-of-generation tokens, and the split of a {@code <think>} block from the
 * answer. Each generated piece reaches the listener as soon as it is final.
 */
public final class Generator {
    private final Session session;
    private final Tokenizer tokenizer;
    private final int[] endTokens;

    /**
     * @param endTokens token ids that end a generation (eos, eot, the chat template's end of turn)
     */
    public Generator(Session session, Tokenizer tokenizer, int[] endTokens) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.endTokens = Decoding.endTokenSet(endTokens);
    }

    /**
     * The tokens that end a generation: those the model file declares (eos, eot, eom) and the tokenizer's end
     * of sequence and end of turn (the chat template's closing token, such as {@code <|im_end|>}).
     */
    public static int[] endTokensOf(Model model, Tokenizer tokenizer) {
        IntStream declared = model.config().endTokens().stream().mapToInt(Integer::intValue);
        return Decoding.endTokenSet(IntStream.concat(declared, IntStream.of(tokenizer.eosId(), tokenizer.eotId()))
                .toArray());
    }

    public Session session() {
        return session;
    }

    /**
     * Generates after {@code prompt} (the full token sequence the model should see).
     *
     * @param cancelled polled before every token; true stops the generation with {@link StopReason#CANCELLED}
     */
    public GenerationResult generate(int[] prompt, GenerationOptions options, TextListener listener,
                                     BooleanSupplier cancelled) {
        long start = System.nanoTime();
        int reused = session.prefill(prompt);
        long prefilled = System.nanoTime();
        GeneratedText text = new GeneratedText(tokenizer, options, listener);
        StopReason reason = session.generate(Decoding.samplerAfter(prompt, options), options.maxTokens(), endTokens,
                text, cancelled);
        return text.finish(reason, prompt.length, reused, prefilled - start, System.nanoTime() - prefilled);
    }
}
