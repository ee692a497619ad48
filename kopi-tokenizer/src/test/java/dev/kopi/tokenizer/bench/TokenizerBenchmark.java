package dev.kopi.tokenizer.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kopi.testkit.Fixtures;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Encoding speed of kopi against Hugging Face tokenizers (Rust, through DJL) on the same generated Southeast
 * Asian corpus, one thread and all threads, side by side in one run. Prints MB/s and kopi's ratio at the end.
 *
 * <p>Run: {@code mvn -pl kopi-tokenizer -am -Pbench process-test-classes}; JMH options may follow in
 * {@code -Dbench.args="-p tokenizer=qwen3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
public class TokenizerBenchmark {
    /** 1 MB of text per benchmark operation. */
    static final int CORPUS_BYTES = 1 << 20;

    @Param({"qwen3", "llama3", "gemma3"})
    public String tokenizer;

    List<String> corpus;
    Tokenizer kopi;
    HuggingFaceTokenizer huggingFace;

    @Setup(Level.Trial)
    public void load() throws IOException {
        corpus = BenchCorpus.documents(CORPUS_BYTES);
        Path json = switch (tokenizer) {
            case "qwen3" -> Fixtures.qwen3Tokenizer();
            case "llama3" -> Fixtures.llama3Tokenizer();
            case "gemma3" -> Fixtures.gemma3Tokenizer();
            default -> throw new IllegalArgumentException(tokenizer);
        };
        kopi = Tokenizers.load(json);
        try (InputStream in = Files.newInputStream(json)) {
            huggingFace = HuggingFaceTokenizer.newInstance(in,
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        huggingFace.close();
    }

    @Benchmark
    public long kopiOneThread() {
        long tokens = 0;
        for (String doc : corpus) {
            tokens += kopi.encode(doc).length;
        }
        return tokens;
    }

    @Benchmark
    public long huggingFaceOneThread() {
        long tokens = 0;
        for (String doc : corpus) {
            tokens += huggingFace.encode(doc, true, false).getIds().length;
        }
        return tokens;
    }

    @Benchmark
    public long kopiAllThreads() {
        long tokens = 0;
        for (int[] ids : kopi.encodeBatch(corpus, true)) {
            tokens += ids.length;
        }
        return tokens;
    }

    @Benchmark
    public long huggingFaceAllThreads() {
        long tokens = 0;
        for (var encoding : huggingFace.batchEncode(corpus, true, false)) {
            tokens += encoding.getIds().length;
        }
        return tokens;
    }

    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(TokenizerBenchmark.class.getName()).build();
        Collection<RunResult> results = new Runner(options).run();
        double mb = BenchCorpus.megabytes(CORPUS_BYTES);
        System.out.printf("%nCorpus: %.2f MB of generated Southeast Asian text per operation; %d cores%n", mb,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-8s %-12s %12s %12s %8s%n", "tokenizer", "threads", "kopi MB/s", "HF MB/s", "ratio");
        for (String name : List.of("qwen3", "llama3", "gemma3")) {
            for (String threads : List.of("OneThread", "AllThreads")) {
                double kopi = score(results, "kopi" + threads, name) * mb;
                double hf = score(results, "huggingFace" + threads, name) * mb;
                if (kopi > 0 && hf > 0) {
                    System.out.printf("%-8s %-12s %12.2f %12.2f %7.1fx%n", name, threads, kopi, hf, kopi / hf);
                }
            }
        }
    }

    private static double score(Collection<RunResult> results, String method, String tokenizer) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)
                    && tokenizer.equals(r.getParams().getParam("tokenizer"))) {
                return r.getPrimaryResult().getScore();
            }
        }
        return 0;
    }

    /** The benchmark's text: the parity tests' generator, so both measure the same kind of text. */
    static final class BenchCorpus {
        static List<String> documents(int bytes) {
            return dev.kopi.tokenizer.SeaCorpusAccess.generate(7L, bytes);
        }

        static double megabytes(int bytes) {
            return documents(bytes).stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum() / 1e6;
        }
    }
}
