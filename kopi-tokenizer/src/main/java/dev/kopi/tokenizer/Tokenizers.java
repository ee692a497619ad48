package dev.kopi.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads tokenizers from the files models ship with. */
public final class Tokenizers {
    private Tokenizers() {}

    /**
     * Loads a tokenizer from a Hugging Face {@code tokenizer.json} (with the {@code tokenizer_config.json} beside
     * it, if any), from a folder holding one, or from the metadata of a {@code .gguf} model.
     *
     * @throws TokenizerFormatException if the file is malformed or uses something kopi does not support
     * @throws UncheckedIOException if it cannot be read
     */
    public static Tokenizer load(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Path json = path.resolve("tokenizer.json");
                if (!Files.isRegularFile(json)) {
                    throw new TokenizerFormatException("folder " + path + " holds no tokenizer.json");
                }
                return TokenizerJson.load(json);
            }
            if (!Files.exists(path)) {
                throw new UncheckedIOException(path + " does not exist", new java.nio.file.NoSuchFileException(path.toString()));
            }
            if (path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
                try (dev.kopi.gguf.GgufFile gguf = dev.kopi.gguf.GgufFile.open(path)) {
                    return Tokenizer.fromGguf(gguf);
                } catch (dev.kopi.gguf.ModelFormatException e) {
                    throw new TokenizerFormatException(e.getMessage(), e);
                } catch (TokenizerFormatException e) {
                    throw new TokenizerFormatException(path + ": " + e.getMessage(), e);
                }
            }
            return TokenizerJson.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
