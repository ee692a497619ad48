package dev.kopi.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoaderTest {
    @TempDir
    Path dir;

    @Test
    void aGgufFileRunsLikeTheModelItWasWrittenFrom() throws IOException {
        TinyQwen3 tiny = new TinyQwen3(13);
        Path file = dir.resolve("tiny.gguf");
        tiny.writeGguf(file);
        int[] tokens = {4, 8, 15, 16, 23, 42};
        try (Model loaded = ModelLoader.load(file, 2); LlamaModel inMemory = tiny.model(2)) {
            assertThat(loaded).isInstanceOf(LlamaModel.class);
            assertThat(loaded.config()).isEqualTo(inMemory.config());
            assertThat(loaded.vocabularySize()).isEqualTo(tiny.vocab);
            assertThat(loaded.logitsForAllPositions(tokens)).containsExactly(inMemory.logitsForAllPositions(tokens));
        }
    }

    @Test
    void endOfGenerationTokensComeFromTheMetadata() throws IOException {
        TinyQwen3 tiny = new TinyQwen3(13);
        tiny.metadata.put("tokenizer.ggml.eos_token_id", 7);
        tiny.metadata.put("tokenizer.ggml.eot_token_id", 9);
        Path file = dir.resolve("ends.gguf");
        tiny.writeGguf(file);
        try (Model loaded = ModelLoader.load(file, 1)) {
            assertThat(loaded.config().endTokens()).containsExactly(7, 9);
        }
    }

    @Test
    void anUnknownArchitectureIsNamed() throws IOException {
        TinyQwen3 tiny = new TinyQwen3(13);
        tiny.metadata.put("general.architecture", "rwkv7");
        Path file = dir.resolve("rwkv.gguf");
        tiny.writeGguf(file);
        assertThatThrownBy(() -> ModelLoader.load(file, 1)).isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessage("unsupported model architecture 'rwkv7' (supported: qwen3, llama, apertus, gemma2, gemma3)");
    }

    @Test
    void aTruncatedFileIsAClearError() throws IOException {
        TinyQwen3 tiny = new TinyQwen3(13);
        Path file = dir.resolve("tiny.gguf");
        tiny.writeGguf(file);
        Path truncated = dir.resolve("truncated.gguf");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelLoader.load(truncated, 1))
                .isInstanceOf(dev.kopi.gguf.ModelFormatException.class)
                .hasMessageContaining("truncated.gguf");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("none.gguf"), 1))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none.gguf");
    }
}
