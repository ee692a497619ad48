package dev.kopi.cli;

import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.TokenizerFormatException;
import dev.kopi.tokenizer.Tokenizers;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code -t PATH} option of the tokenizer commands, and loading what it names. */
final class TokenizerOption {
    @Option(names = {"-t", "--tokenizer"}, required = true, paramLabel = "PATH",
            description = "A tokenizer.json, a folder holding one (with its tokenizer_config.json), or a .gguf model.")
    Path path;

    Tokenizer load() {
        try {
            return Tokenizers.load(path);
        } catch (TokenizerFormatException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
