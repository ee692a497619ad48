package dev.kopi.cli;

import dev.kopi.engine.ContextOverflowException;
import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;
import dev.kopi.engine.generate.ChatSession;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code kopi chat}: an interactive conversation with a model, or a scripted one from piped lines. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model. Commands: /think and /no_think switch thinking, /reset starts over, "
                + "/exit quits. Ctrl-C stops a reply. Reads one message per line when input is not a terminal.")
public final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelArgument modelArgument;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "-1", description = "Tokens per reply at most; -1 = until the context is full (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--system", description = "System message.")
    String system;

    @Option(names = "--no-think", description = "Start with thinking off (Qwen3).")
    boolean noThink;

    @Mixin
    ModelOptions options;

    @Override
    public Integer call() throws IOException {
        Path model = modelArgument.resolve();
        Tokenizer tokenizer = Tokenizers.load(model);
        try (Model m = ModelLoader.load(model, options.threads())) {
            ChatSession chat = new ChatSession(m, tokenizer, ChatSession.templateOf(tokenizer),
                    options.context(m.config().contextLength()));
            chat.setThinking(!noThink);
            if (system != null) {
                chat.system(system);
            }
            if (System.console() != null && System.console().isTerminal()) {
                interactive(chat);
            } else {
                piped(chat);
            }
        }
        return 0;
    }

    private void interactive(ChatSession chat) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            AtomicBoolean cancelled = new AtomicBoolean();
            terminal.handle(Terminal.Signal.INT, signal -> cancelled.set(true));
            out.println("kopi chat: /think, /no_think, /reset, /exit. Thinking is " + (chat.thinking() ? "on." : "off."));
            while (true) {
                String line;
                try {
                    line = reader.readLine("> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return;
                }
                cancelled.set(false);
                if (!turn(chat, line, out, out, true, cancelled)) {
                    return;
                }
            }
        }
    }

    private void piped(ChatSession chat) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!turn(chat, line, out, err, false, new AtomicBoolean())) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Handles one input line; returns false to quit. */
    private boolean turn(ChatSession chat, String line, PrintStream out, PrintStream err, boolean ansi,
                         AtomicBoolean cancelled) {
        String text = line.strip();
        switch (text) {
            case "" -> {
                return true;
            }
            case "/exit", "/quit", "/bye" -> {
                return false;
            }
            case "/think", "/no_think" -> {
                chat.setThinking(text.equals("/think"));
                err.println("thinking " + (chat.thinking() ? "on" : "off"));
                return true;
            }
            case "/reset" -> {
                chat.reset();
                err.println("conversation reset");
                return true;
            }
            default -> {
                ConsoleText console = new ConsoleText(out, ansi ? out : err, ansi);
                try {
                    GenerationResult result = chat.send(text, GenerationOptions.of(options.sampling(), maxTokens),
                            console, cancelled::get);
                    console.endReasoning();
                    out.println();
                    ConsoleText.printSpeed(err, result);
                } catch (ContextOverflowException e) {
                    err.println("kopi: " + e.getMessage() + "; /reset to start over");
                }
                return true;
            }
        }
    }
}
