package dev.kopi.eval.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kopi.engine.Batch;
import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.Logits;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.Session;
import dev.kopi.engine.generate.StopReason;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.template.ChatTemplate;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;

/**
 * A model run by kopi's own engine in this process. Each request's conversation is rendered with the model's chat
 * template (with {@code chat_template_kwargs} such as {@code enable_thinking}) and generated with the model's
 * default sampling seeded by the run's seed. The engine's session reuses the KV cache of the prompt prefix the
 * previous request shared (few-shot examples, earlier turns). One request at a time: the engine has no batched
 * generation yet.
 */
public final class KopiBackend implements LogprobBackend {
    private final Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Generator generator;
    private final String name;

    private KopiBackend(Model model, Tokenizer tokenizer, int contextLength, String name) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = ChatSession.templateOf(tokenizer);
        this.generator = new Generator(new Session(model, contextLength), tokenizer, Generator.endTokensOf(model, tokenizer));
        this.name = name;
    }

    /** Loads a GGUF model (its tokenizer and chat template come from its metadata). */
    public static KopiBackend load(Path gguf, int contextLength, int threads) {
        Model model = ModelLoader.load(gguf, threads);
        try {
            String file = gguf.getFileName().toString();
            return new KopiBackend(model, Tokenizers.load(gguf), contextLength, file.replaceFirst("\\.gguf$", ""));
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
    public synchronized Completion complete(ChatRequest request) throws RequestRejected {
        String prompt = render(request);
        int[] tokens = tokenizer.encode(prompt, false);
        GenerationResult result = generate(prompt, tokens, request, request.stop());
        return new Completion(result.content().strip(), result.reasoning() == null || result.reasoning().isEmpty() ? null : result.reasoning(),
                result.stopReason().name().toLowerCase(java.util.Locale.ROOT), tokens.length, result.tokens().length);
    }

    /** Generates after the rendered {@code prompt} with the model's default sampling seeded by the request. */
    private GenerationResult generate(String prompt, int[] tokens, ChatRequest request, List<String> stops) throws RequestRejected {
        SamplerSettings sampling = SamplerSettings.defaults(request.seed() == null ? 0 : request.seed());
        GenerationOptions options = GenerationOptions.of(sampling, request.maxTokens())
                .withStopStrings(stops)
                .withStartInReasoning(prompt.stripTrailing().endsWith("<think>"));
        try {
            return generator.generate(tokens, options, text -> { }, () -> false);
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
     * it. Runs on a fresh cache, so generation state is untouched.
     */
    @Override
    public synchronized LabelScore scoreLabel(ChatRequest request, String answerTag, String continuation) throws RequestRejected {
        String prompt = render(request);
        int[] promptTokens = tokenizer.encode(prompt, false);
        GenerationResult answer = generate(prompt, promptTokens, request, List.of(answerTag));
        String text = tokenizer.decode(answer.tokens(), false);
        // vLLM's "stop": a stop string or an end-of-generation token
        boolean stopped = answer.stopReason() == StopReason.STOP_STRING || answer.stopReason() == StopReason.END_OF_GENERATION;
        String finishReason = stopped ? "stop" : answer.stopReason().name().toLowerCase(java.util.Locale.ROOT);
        if (!stopped) {
            return new LabelScore(text, finishReason, Double.NaN, 0);
        }
        int[] scored = tokenizer.encode(continuation, false);
        int[] context = new int[promptTokens.length + answer.tokens().length];
        System.arraycopy(promptTokens, 0, context, 0, promptTokens.length);
        System.arraycopy(answer.tokens(), 0, context, promptTokens.length, answer.tokens().length);
        try {
            return new LabelScore(text, finishReason, continuationLogprob(model, context, scored), scored.length);
        } catch (ContextOverflowException e) {
            throw new RequestRejected(e.getMessage());
        }
    }

    /** The summed log-probability of {@code continuation} after {@code context}, from one forward pass on a fresh cache. */
    static double continuationLogprob(Model model, int[] context, int[] continuation) {
        if (context.length == 0 || continuation.length == 0) {
            throw new IllegalArgumentException("scoring needs a context and a continuation");
        }
        int total = context.length + continuation.length;
        Batch batch = new Batch(total);
        for (int i = 0; i < total; i++) {
            int token = i < context.length ? context[i] : continuation[i - context.length];
            // the logits at position i predict token i + 1: ask for them from the last context token on
            batch.add(token, i, 0, i >= context.length - 1 && i < total - 1);
        }
        Logits logits = model.forward(batch, model.newCache(1, total));
        double sum = 0;
        for (int j = 0; j < continuation.length; j++) {
            sum += logSoftmax(logits.forBatchIndex(context.length - 1 + j), continuation[j]);
        }
        return sum;
    }

    /** {@code log(softmax(logits)[token])}, computed stably in double precision. */
    static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return logits[token] - max - Math.log(sum);
    }

    @Override
    public int concurrency() {
        return 1;
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public void close() {
        try {
            model.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
        }
    }
}
