package dev.kopi.engine.parity;

import java.nio.file.Path;
import java.util.Arrays;

import dev.kopi.engine.Model;
import dev.kopi.engine.ModelLoader;

/** kopi's side of the comparisons: the engine loaded from the same file llama.cpp reads. */
final class KopiModels {
    private KopiModels() {}

    static Model load(Path file, int threads) {
        return ModelLoader.load(file, threads);
    }

    /** Every position's logits of {@code tokens} as one fresh sequence, one row per position. */
    static float[][] allLogits(Model model, int[] tokens) {
        float[] flat = model.logitsForAllPositions(tokens);
        int vocab = model.vocabularySize();
        float[][] rows = new float[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            rows[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
        }
        return rows;
    }
}
