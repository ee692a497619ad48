package dev.kopi.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.kopi.testkit.Fixtures;

/**
 * Opening a GGUF file and reading its vocabulary (tokens, scores, token types, merges), against the anchor:
 * ggml's own {@code gguf_init_from_file}, which reads and copies every key-value pair. Run with
 * {@code scripts/bench-gguf} or JMH's main on the test classpath.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class GgufOpenBenchmark {
    @Param({"ggml-vocab-gemma-4.gguf", "ggml-vocab-qwen2.gguf"})
    String vocab;

    Path file;

    @Setup
    public void locate() {
        file = Fixtures.llamaCppSource().resolve("models").resolve(vocab);
    }

    @Benchmark
    public void kopiOpenAndReadVocabulary(Blackhole bh) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata m = gguf.metadata();
            bh.consume(m.getStringArray("tokenizer.ggml.tokens"));
            bh.consume(m.findArray("tokenizer.ggml.scores").map(GgufArray::toFloatArray).orElse(null));
            bh.consume(m.getIntArray("tokenizer.ggml.token_type"));
            bh.consume(m.findArray("tokenizer.ggml.merges").map(GgufArray::toStringArray).orElse(null));
        }
    }

    @Benchmark
    public void kopiOpenOnly(Blackhole bh) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            bh.consume(gguf.metadata().size());
        }
    }

    @Benchmark
    public void ggmlInitFromFile(Blackhole bh) throws Throwable {
        try (GgmlGguf ggml = GgmlGguf.open(file)) {
            bh.consume(ggml.keyCount());
        }
    }
}
