package dev.kopi.cli;

import java.util.Arrays;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code kopi} command. Each subcommand is a thin layer over a library module; this class only
 * wires them together and turns failures into one clear line on standard error.
 */
@Command(
        name = "kopi",
        mixinStandardHelpOptions = true,
        version = "kopi 0.1.0-SNAPSHOT",
        description = "Southeast Asian LLMs on the JVM: run, serve and evaluate SEA-LION models.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InspectCommand.class,
            PullCommand.class,
            ListCommand.class,
            ShowCommand.class,
            RmCommand.class,
            TokenizeCommand.class,
            DetokenizeCommand.class,
            TemplateCommand.class,
            RunCommand.class,
            ChatCommand.class,
            ServeCommand.class,
            LogitsCommand.class,
            SynthCommand.class,
            BenchCommand.class,
            EvalCommand.class,
        })
public final class KopiCommand {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    /** The configured command line, with kopi's error handling. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KopiCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = Arrays.asList(parseResult.originalArgs()).contains("--verbose");
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("kopi: " + describe(ex));
            }
            return ex instanceof UserError userError ? userError.exitCode() : 1;
        });
        return cli;
    }

    /** The message of an error and of its causes, in one line, without Java class names where a message exists. */
    static String describe(Throwable ex) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                message = t.getClass().getSimpleName();
            }
            if (line.indexOf(message) < 0) {
                if (!line.isEmpty()) {
                    line.append(": ");
                }
                line.append(message);
            }
        }
        return line.toString();
    }
}
