package dev.kopi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufMetadata;
import dev.kopi.gguf.ModelFormatException;
import dev.kopi.template.ChatRequest;
import dev.kopi.template.JsonValues;
import dev.kopi.template.TemplateException;
import dev.kopi.template.TokenizerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kopi template}: renders a model's chat template with a conversation, as apply_chat_template does. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Render a chat template with a conversation (Hugging Face apply_chat_template semantics) "
                + "and print the prompt.")
public final class TemplateCommand implements Callable<Integer> {
    private static final String GGUF_TEMPLATE = "tokenizer.chat_template";

    @Option(names = {"-t", "--template"}, required = true, paramLabel = "PATH",
            description = "tokenizer_config.json, a folder holding one, a .jinja file, or a .gguf model.")
    Path source;

    @Option(names = "--messages", required = true, paramLabel = "FILE.json",
            description = "The conversation: a JSON array of {\"role\": ..., \"content\": ...} objects.")
    Path messages;

    @Option(names = "--tools", paramLabel = "FILE.json", description = "Tool schemas: a JSON array of objects.")
    Path tools;

    @Option(names = "--no-think", description = "Set enable_thinking=false (Qwen3 and other reasoning models).")
    boolean noThink;

    @Option(names = "--no-generation-prompt",
            description = "Do not open the assistant's turn at the end (add_generation_prompt=false).")
    boolean noGenerationPrompt;

    @Option(names = "--kwarg", paramLabel = "NAME=JSON",
            description = "An extra template variable, its value as JSON (e.g. --kwarg reasoning_effort='\"high\"').")
    Map<String, String> kwargs = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            TokenizerConfig config = source.getFileName() != null && source.getFileName().toString().endsWith(".gguf")
                    ? fromGguf(source) : TokenizerConfig.load(source);
            ChatRequest request = config.request(JsonValues.readObjects(messages))
                    .withGenerationPrompt(!noGenerationPrompt);
            if (tools != null) {
                request = request.withTools(JsonValues.readObjects(tools));
            }
            if (noThink) {
                request = request.withKwarg("enable_thinking", false);
            }
            for (Map.Entry<String, String> kwarg : kwargs.entrySet()) {
                request = request.withKwarg(kwarg.getKey(), JsonValues.parse(kwarg.getValue(), "--kwarg " + kwarg.getKey()));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(config.template(tools != null).render(request));
            out.flush();
            return 0;
        } catch (TemplateException e) {
            throw new UserError(e.getMessage(), 1);
        }
    }

    /** The chat templates (default and named ones) and the bos/eos token texts a GGUF model carries. */
    static TokenizerConfig fromGguf(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UserError("no such file: " + path);
        }
        try (GgufFile gguf = GgufFile.open(path)) {
            GgufMetadata metadata = gguf.metadata();
            Map<String, String> templates = new LinkedHashMap<>();
            metadata.findString(GGUF_TEMPLATE).ifPresent(t -> templates.put("default", t));
            for (String key : metadata.keys()) {
                if (key.startsWith(GGUF_TEMPLATE + ".")) {
                    templates.put(key.substring(GGUF_TEMPLATE.length() + 1), metadata.getString(key));
                }
            }
            if (templates.isEmpty()) {
                throw new UserError(path + " has no chat template (no " + GGUF_TEMPLATE + " metadata)");
            }
            Map<String, String> specialTokens = new LinkedHashMap<>();
            if (metadata.contains("tokenizer.ggml.tokens")) {
                List<String> vocabulary = List.of(metadata.getStringArray("tokenizer.ggml.tokens"));
                for (String name : new String[] {"bos", "eos"}) {
                    metadata.findLong("tokenizer.ggml." + name + "_token_id").ifPresent(id -> {
                        if (id >= 0 && id < vocabulary.size()) {
                            specialTokens.put(name + "_token", vocabulary.get((int) id));
                        }
                    });
                }
            }
            return new TokenizerConfig(templates, specialTokens);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        } catch (ModelFormatException e) {
            throw new UserError(path + ": " + e.getMessage());
        }
    }
}
