package dev.kopi.server;

import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.Model;
import dev.kopi.engine.generate.BatchGenerator;
import dev.kopi.engine.generate.GenerationHandle;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationRequest;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.LogitsListener;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.template.ChatRequest;
import dev.kopi.template.ChatTemplate;
import dev.kopi.template.TemplateException;
import dev.kopi.tokenizer.Tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loaded model as the endpoints use it: chat rendering, tokenization, and generations submitted to one
 * {@link BatchGenerator} (continuous batching over the server's parallel slots; extra requests wait their turn).
 * Engine failures that are the request's fault become {@link ApiError}s.
 */
final class ModelHost implements AutoCloseable {
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Map<String, String> specialTokens = new HashMap<>();
    private final int[] endTokens;
    private final BatchGenerator generator;
    private final AtomicInteger inFlight = new AtomicInteger();

    ModelHost(Model model, Tokenizer tokenizer, ChatTemplate template, int parallel, int contextLength) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        if (tokenizer.config().bosToken() != null) {
            specialTokens.put("bos_token", tokenizer.config().bosToken());
        }
        if (tokenizer.config().eosToken() != null) {
            specialTokens.put("eos_token", tokenizer.config().eosToken());
        }
        this.endTokens = Generator.endTokensOf(model, tokenizer);
        this.generator = new BatchGenerator(model, tokenizer, BatchGenerator.Settings.of(parallel, contextLength));
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    int contextLength() {
        return generator.settings().contextLength();
    }

    int parallel() {
        return generator.settings().sequences();
    }

    int vocabularySize() {
        return model.vocabularySize();
    }

    /** Generations submitted and not yet finished (running or waiting for a slot). */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * The conversation rendered with the model's chat template, the assistant's turn opened.
     *
     * @throws ApiError 400 when the template refuses the conversation (its own {@code raise_exception} message)
     */
    String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools, Map<String, Object> kwargs) {
        ChatRequest request = ChatRequest.of(messages).withTools(tools).withSpecialTokens(specialTokens);
        for (Map.Entry<String, Object> kwarg : kwargs.entrySet()) {
            request = request.withKwarg(kwarg.getKey(), kwarg.getValue());
        }
        try {
            return template.render(request);
        } catch (TemplateException e) {
            throw ApiError.invalid("the chat template cannot render these messages: " + e.getMessage(), "messages");
        }
    }

    /**
     * Queues a generation.
     *
     * @param what      names the prompt's field in errors ("messages", "prompt")
     * @param ignoreEos whether end-of-generation tokens are generated like any other
     * @throws ApiError 400 when the prompt is empty, holds an unknown token id or does not fit the context; 503
     *     when the server is shutting down
     */
    GenerationHandle submit(String what, int[] prompt, GenerationParameters parameters, GenerationOptions options,
                            TextListener listener, LogitsListener logits) {
        checkPrompt(what, prompt);
        GenerationHandle handle;
        try {
            handle = generator.submit(new GenerationRequest(prompt, options,
                    parameters.ignoreEos() ? new int[0] : endTokens, listener, logits));
        } catch (ContextOverflowException e) {
            throw ApiError.contextExceeded(e.getMessage(), what);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(e.getMessage(), what);
        } catch (IllegalStateException e) {
            throw ApiError.unavailable("the server is not accepting generations: " + e.getMessage());
        }
        inFlight.incrementAndGet();
        handle.completion().whenComplete((result, failure) -> inFlight.decrementAndGet());
        return handle;
    }

    /**
     * Checks that a prompt has tokens, each in the vocabulary, and fits the context.
     *
     * @throws ApiError 400 naming the problem
     */
    void checkPrompt(String what, int[] prompt) {
        if (prompt.length == 0) {
            throw ApiError.invalid("the " + what + " must not be empty (it gives no tokens)", what);
        }
        if (prompt.length > contextLength()) {
            throw ApiError.contextExceeded("This model's maximum context length is " + contextLength()
                    + " tokens, but the " + what + " came to " + prompt.length + " tokens; shorten the " + what
                    + " or start the server with a larger context (-c)", what);
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= tokenizer.vocabSize() || prompt[i] >= model.vocabularySize()) {
                throw ApiError.invalid("token id " + prompt[i] + " at index " + i + " of the " + what
                        + " is not in the vocabulary of " + Math.min(tokenizer.vocabSize(), model.vocabularySize())
                        + " tokens", what);
            }
        }
    }

    /** Stops generating; unfinished requests fail. The model stays open: it is the caller's. */
    @Override
    public void close() {
        generator.close();
    }
}
