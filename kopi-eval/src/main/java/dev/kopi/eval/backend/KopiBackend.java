package dev.kopi.eval.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.BatchGenerator;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationRequest;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.LogitsListener;
import dev.kopi.engine.generate.StopReason;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.template.ChatTemplate;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;

/**
 * A model run by kopi's own engine in this process. Each request's conversation is rendered with the model's chat
 * template (with {@code chat_template_kwargs} such as {@code enable_thinking}) and generated with the model's
 * default sampling seeded by the run's seed. Concurrent requests are batched: the engine's
 * {@link BatchGenerator} runs up to {@link #concurrency()} of them through each forward pass, and a request reuses
 * the KV cache of a finished one's prompt prefix (few-shot examples, earlier turns). A request's answer does not
 * depend on what else is in the batch.
 */
public final class KopiBackend implements LogprobBackend {
    /** Requests generated together unless the caller says otherwise. */
    public static final int DEFAULT_SEQUENCES = 4;

    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int[] endTokens;
    private final BatchGenerator generator;
    private final String name;

    private KopiBackend(Model model, Tokenizer tokenizer, int contextLength, int sequences, String name) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = ChatSession.templateOf(tokenizer);
        this.endTokens = Generator.endTokensOf(model, tokenizer);
        this.generator = new BatchGenerator(model, tokenizer, BatchGenerator.Settings.of(sequences, contextLength));
        this.name = name;
    }

    /** Loads a GGUF model that generates {@link #DEFAULT_SEQUENCES} requests at once. */
    public static KopiBackend load(Path gguf, int contextLength, int threads) {
        return load(gguf, contextLength, threads, DEFAULT_SEQUENCES);
    }

    /**
     * Loads a GGUF model (its tokenizer and chat template come from its metadata) that generates up to
     * {@code sequences} requests at once, each with a context of {@code contextLength} tokens.
     */
    public static KopiBackend load(Path gguf, int contextLength, int threads, int sequences) {
        Model model = ModelLoader.load(gguf, threads);
        try {
            String file = gguf.getFileName().toString();
            return new KopiBackend(model, Tokenizers.load(gguf), contextLength, sequences,
                    file.replaceFirst("\\.gguf$", ""));
        } catch (RuntimeException e) {
            closeQuietly(model, e);
            throw e;
        }
    }

    private static void closeQuietly(Model model, RuntimeException cause) {
        try {
            model.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public Completion complete(ChatRequest request) throws RequestRejected, InterruptedException {
        String prompt = render(request);
        int[] tokens = tokenizer.encode(prompt, false);
        GenerationResult result = generate(prompt, tokens, request, request.stop());
        return new Completion(result.content().strip(), result.reasoning().isEmpty() ? null : result.reasoning(),
                result.stopReason().name().toLowerCase(Locale.ROOT), tokens.length, result.tokens().length);
    }

    /** Generates after the rendered {@code prompt} with the model's default sampling seeded by the request. */
    private GenerationResult generate(String prompt, int[] tokens, ChatRequest request, List<String> stops)
            throws RequestRejected, InterruptedException {
        SamplerSettings sampling = SamplerSettings.defaults(request.seed() == null ? 0 : request.seed());
        GenerationOptions options = GenerationOptions.of(sampling, request.maxTokens())
                .withStopStrings(stops)
                .withStartInReasoning(prompt.stripTrailing().endsWith("<think>"));
        try {
            return generator.submit(new GenerationRequest(tokens, options, endTokens, TextListener.none())).await();
        } catch (ContextOverflowException e) {
            throw new RequestRejected(e.getMessage());
        }
    }

    /** The conversation rendered with the model's chat template (and the request's template kwargs). */
    private String render(ChatRequest request) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            Map<String, Object> m = new HashMap<>();
            m.put("role", message.role());
            m.put("content", message.content());
            messages.add(m);
        }
        Map<String, String> special = new HashMap<>();
        if (tokenizer.config().bosToken() != null) {
            special.put("bos_token", tokenizer.config().bosToken());
        }
        if (tokenizer.config().eosToken() != null) {
            special.put("eos_token", tokenizer.config().eosToken());
        }
        dev.kopi.template.ChatRequest chat = dev.kopi.template.ChatRequest.of(messages).withSpecialTokens(special);
        for (Map.Entry<String, Object> kwarg : request.chatTemplateKwargs().entrySet()) {
            chat = chat.withKwarg(kwarg.getKey(), kwarg.getValue());
        }
        return template.render(chat);
    }

    /**
     * SEA-HELM's log-probability scoring on the engine: the answer is generated with the tag as stop string, then the
     * continuation's tokens are appended to the prompt's and the answer's own tokens (all generated tokens, the tag's
     * included, as vLLM keeps them) and each one's log-probability is read from the log-softmax of the logits before
     * it. Both steps are requests of the batch generator, so scoring runs beside other requests.
     */
    @Override
    public LabelScore scoreLabel(ChatRequest request, String answerTag, String continuation)
            throws RequestRejected, InterruptedException {
        String prompt = render(request);
        int[] promptTokens = tokenizer.encode(prompt, false);
        GenerationResult answer = generate(prompt, promptTokens, request, List.of(answerTag));
        String text = tokenizer.decode(answer.tokens(), false);
        // vLLM's "stop": a stop string or an end-of-generation token
        boolean stopped = answer.stopReason() == StopReason.STOP_STRING
                || answer.stopReason() == StopReason.END_OF_GENERATION;
        String finishReason = stopped ? "stop" : answer.stopReason().name().toLowerCase(Locale.ROOT);
        if (!stopped) {
            return new LabelScore(text, finishReason, Double.NaN, 0);
        }
        int[] scored = tokenizer.encode(continuation, false);
        int[] context = new int[promptTokens.length + answer.tokens().length];
        System.arraycopy(promptTokens, 0, context, 0, promptTokens.length);
        System.arraycopy(answer.tokens(), 0, context, promptTokens.length, answer.tokens().length);
        return new LabelScore(text, finishReason, continuationLogprob(context, scored), scored.length);
    }

    /** The summed log-probability of {@code continuation} after {@code context}, read from the prompt's logits. */
    double continuationLogprob(int[] context, int[] continuation) throws RequestRejected, InterruptedException {
        if (context.length == 0 || continuation.length == 0) {
            throw new IllegalArgumentException("scoring needs a context and a continuation");
        }
        int[] sequence = new int[context.length + continuation.length];
        System.arraycopy(context, 0, sequence, 0, context.length);
        System.arraycopy(continuation, 0, sequence, context.length, continuation.length);
        double[] sum = new double[1];
        LogitsListener reader = new LogitsListener() {
            @Override
            public boolean wantsPromptLogits() {
                return true;
            }

            @Override
            public void onPromptToken(int index, int token, float[] logits, int offset, int vocab) {
                if (index >= context.length) {
                    sum[0] += logSoftmax(logits, offset, vocab, token);
                }
            }

            @Override
            public void onGeneratedToken(int token, float[] logits, int offset, int vocab) {
            }
        };
        GenerationOptions oneToken = GenerationOptions.of(SamplerSettings.defaults(0), 1);
        try {
            generator.submit(new GenerationRequest(sequence, oneToken, endTokens, TextListener.none(), reader)).await();
        } catch (ContextOverflowException e) {
            throw new RequestRejected(e.getMessage());
        }
        return sum[0];
    }

    /** {@code log(softmax(logits[offset .. offset + vocab))[token])}, computed stably in double precision. */
    static double logSoftmax(float[] logits, int offset, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = offset; i < offset + vocab; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return logits[offset + token] - max - Math.log(sum);
    }

    @Override
    public int concurrency() {
        return generator.settings().sequences();
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public void close() {
        try {
            generator.close();
            model.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
        }
    }
}
