package dev.kopi.cli;

import picocli.CommandLine;

/** Entry point of the {@code kopi} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; used by the tests too. */
    public static int run(String... args) {
        return KopiCommand.commandLine().execute(args);
    }
}
