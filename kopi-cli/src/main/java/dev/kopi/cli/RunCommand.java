package dev.kopi.cli;

import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.Session;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kopi run}: one prompt in, one generation out. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Generate a reply to one prompt. The answer goes to standard output, the model's "
                + "reasoning and the speed to standard error.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelArgument modelArgument;

    @ArgGroup(multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = {"-p", "--prompt"}, description = "Prompt text.")
        String text;

        @Option(names = {"-f", "--file"}, description = "File holding the prompt text (UTF-8).")
        Path file;

        @Option(names = "--prompt-ids", split = ",", description = "Prompt token ids, comma-separated (used as is).")
        int[] ids;
    }

    @Option(names = "--raw", description = "Do not apply the chat template: the model continues the text.")
    boolean raw;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "512", description = "Tokens to generate at most; -1 = until the context is full (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--ids", description = "Print the generated token ids, space-separated, instead of text.")
    boolean printIds;

    @Option(names = "--no-think", description = "Ask a reasoning model (Qwen3) to answer without thinking.")
    boolean noThink;

    @Mixin
    ModelOptions options;

    @Override
    public Integer call() {
        Path model = modelArgument.resolve();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        Tokenizer tokenizer = Tokenizers.load(model);
        try (Model m = ModelLoader.load(model, options.threads())) {
            int context = options.context(m.config().contextLength());
            GenerationOptions generation = GenerationOptions.of(options.sampling(), maxTokens);
            TextListener listener = printIds ? TextListener.none() : new ConsoleText(out, err);
            GenerationResult result;
            if (prompt.ids != null || raw) {
                int[] tokens = prompt.ids != null ? prompt.ids : tokenizer.encode(promptText(), true);
                Generator generator = new Generator(new Session(m, context), tokenizer, Generator.endTokensOf(m, tokenizer));
                result = generator.generate(tokens, generation, listener, () -> false);
            } else {
                ChatSession chat = new ChatSession(m, tokenizer, ChatSession.templateOf(tokenizer), context);
                chat.setThinking(!noThink);
                result = chat.send(promptText(), generation, listener, () -> false);
            }
            if (printIds) {
                StringBuilder line = new StringBuilder();
                for (int id : result.tokens()) {
                    line.append(line.isEmpty() ? "" : " ").append(id);
                }
                out.println(line);
            } else {
                out.println();
            }
            ConsoleText.printSpeed(err, result);
        }
        return 0;
    }

    private String promptText() {
        if (prompt.text != null) {
            return prompt.text;
        }
        try {
            return Files.readString(prompt.file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt file " + prompt.file + ": " + e.getMessage(), e);
        }
    }
}
