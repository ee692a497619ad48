package dev.kopi.eval.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.Session;
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
public final class KopiBackend implements Backend {
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
        String prompt = template.render(chat);
        int[] tokens = tokenizer.encode(prompt, false);
        SamplerSettings sampling = SamplerSettings.defaults(request.seed() == null ? 0 : request.seed());
        GenerationOptions options = GenerationOptions.of(sampling, request.maxTokens())
                .withStopStrings(request.stop())
                .withStartInReasoning(prompt.stripTrailing().endsWith("<think>"));
        try {
            GenerationResult result = generator.generate(tokens, options, text -> { }, () -> false);
            return new Completion(result.content().strip(), result.reasoning() == null || result.reasoning().isEmpty() ? null : result.reasoning(),
                    result.stopReason().name().toLowerCase(java.util.Locale.ROOT), tokens.length, result.tokens().length);
        } catch (ContextOverflowException e) {
            throw new RequestRejected(e.getMessage());
        }
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
