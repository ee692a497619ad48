package dev.kopi.cli;

import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.server.KopiServer;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code kopi serve}: an OpenAI-compatible HTTP server over one model, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, "
                + "/v1/models, /tokenize, /detokenize, /health), batching concurrent requests. Stop it with Ctrl-C. "
                + "The sampling options are the defaults for what a request leaves out.")
public final class ServeCommand implements Callable<Integer> {
    /** Helidon announces its features and sockets at INFO; kopi prints its own line instead. */
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    @Mixin
    ModelArgument modelArgument;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-np", "--parallel"}, defaultValue = "4",
            description = "Requests generated at once (KV cache slots); more wait their turn (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--api-key", description = "Require 'Authorization: Bearer KEY' on every request but /health.")
    String apiKey;

    @Option(names = "--alias", description = "Model name /v1/models lists (default: the -m name).")
    String alias;

    @Mixin
    ModelOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Path file = modelArgument.resolve();
        Tokenizer tokenizer = Tokenizers.load(file);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        HELIDON_LOG.setLevel(Level.WARNING);
        try (Model model = ModelLoader.load(file, options.threads())) {
            int context = options.context(model.config().contextLength());
            KopiServer.Settings settings;
            try {
                settings = new KopiServer.Settings(host, port, parallel, context, apiKey, name(file),
                        options.sampling());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            KopiServer server = start(model, tokenizer, settings);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "kopi-serve-stop"));
            err.println("kopi serve: " + settings.modelName() + " on " + server.baseUrl() + " (" + parallel
                    + " slots of " + context + " tokens" + (apiKey != null ? ", API key required" : "") + ")");
            stopped.await();
        }
        return 0;
    }

    private static KopiServer start(Model model, Tokenizer tokenizer, KopiServer.Settings settings) {
        try {
            return KopiServer.start(model, tokenizer, ChatSession.templateOf(tokenizer), settings);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RuntimeException e) {
            throw new UserError("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + KopiCommand.describe(e), 1);
        }
    }

    /** The name answers carry: --alias, else the hub name given to -m, else the file's name without .gguf. */
    private String name(Path file) {
        if (alias != null) {
            return alias;
        }
        String spec = modelArgument.spec;
        if (spec != null && !ModelArgument.looksLikePath(spec)) {
            return spec;
        }
        return file.getFileName().toString().replaceFirst("\\.gguf$", "");
    }
}
