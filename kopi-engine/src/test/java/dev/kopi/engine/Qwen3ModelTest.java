package dev.kopi.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Qwen3ModelTest {
    static final int[] PROMPT = {5, 17, 3, 199, 42, 42, 8, 0, 150, 77, 23};
    static TinyQwen3 tiny;
    static LlamaModel model;

    @BeforeAll
    static void load() {
        tiny = new TinyQwen3(7);
        model = tiny.model(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void prefillMatchesTheDoublePrecisionReferenceAtEveryPosition() {
        float[] logits = model.logitsForAllPositions(PROMPT);
        double[][] expected = tiny.referenceLogits(PROMPT);
        for (int t = 0; t < PROMPT.length; t++) {
            for (int v = 0; v < tiny.vocab; v++) {
                assertThat((double) logits[t * tiny.vocab + v]).as("position %d token %d", t, v)
                        .isCloseTo(expected[t][v], within(2e-4 * (1 + Math.abs(expected[t][v]))));
            }
        }
    }

    @Test
    void tokenByTokenDecodeMatchesPrefill() {
        float[] prefill = model.logitsForAllPositions(PROMPT);
        KvCache cache = model.newCache(1, 64);
        for (int t = 0; t < PROMPT.length; t++) {
            float[] row = model.forward(new Batch().add(PROMPT[t], t, 0, true), cache).row(0);
            float[] expected = Arrays.copyOfRange(prefill, t * tiny.vocab, (t + 1) * tiny.vocab);
            assertClose(row, expected, 1e-4f);
        }
        assertThat(cache.length(0)).isEqualTo(PROMPT.length);
    }

    @Test
    void threeSequencesDecodedTogetherGiveTheSameLogitsAsEachAlone() {
        int[][] prompts = {{1, 2, 3, 4}, {9, 8, 7}, {100, 50, 25, 12, 6}};
        int[][] next = {{11, 12}, {13, 14}, {15, 16}};
        KvCache together = model.newCache(3, 32);
        for (int s = 0; s < 3; s++) {
            model.forward(Batch.of(s, 0, prompts[s], false), together);
        }
        float[][][] alone = new float[3][2][];
        for (int s = 0; s < 3; s++) {
            KvCache cache = model.newCache(1, 32);
            model.forward(Batch.of(0, 0, prompts[s], false), cache);
            for (int step = 0; step < 2; step++) {
                alone[s][step] = model.forward(new Batch().add(next[s][step], prompts[s].length + step, 0, true), cache).row(0);
            }
        }
        for (int step = 0; step < 2; step++) {
            Batch batch = new Batch();
            for (int s = 0; s < 3; s++) {
                batch.add(next[s][step], prompts[s].length + step, s, true);
            }
            Logits logits = model.forward(batch, together);
            for (int s = 0; s < 3; s++) {
                assertClose(logits.forBatchIndex(s), alone[s][step], 1e-4f);
            }
        }
    }

    @Test
    void aBatchLongerThanOneChunkIsProcessedInChunks() {
        int[] tokens = new int[DecoderModel.MAX_CHUNK + 9];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 31 + 7) % tiny.vocab;
        }
        float[] all = model.logitsForAllPositions(tokens);
        KvCache cache = model.newCache(1, tokens.length);
        model.forward(Batch.of(0, 0, Arrays.copyOf(tokens, tokens.length - 1), false), cache);
        float[] last = model.forward(new Batch().add(tokens[tokens.length - 1], tokens.length - 1, 0, true), cache).row(0);
        assertClose(last, Arrays.copyOfRange(all, (tokens.length - 1) * tiny.vocab, tokens.length * tiny.vocab), 1e-4f);
    }

    @Test
    void tiedOutputUsesTheTokenEmbedding() {
        TinyQwen3 tied = new TinyQwen3(3, 1, 32, 2, 1, 16, 64, 50, true);
        try (LlamaModel m = tied.model(1)) {
            int[] tokens = {1, 2, 3};
            float[] logits = m.logitsForAllPositions(tokens);
            double[][] expected = tied.referenceLogits(tokens);
            for (int v = 0; v < tied.vocab; v++) {
                assertThat((double) logits[2 * tied.vocab + v]).isCloseTo(expected[2][v], within(1e-3));
            }
        }
    }

    @Test
    void contextOverflowIsAClearError() {
        KvCache cache = model.newCache(1, 4);
        assertThatThrownBy(() -> model.forward(Batch.of(0, 0, new int[] {1, 2, 3, 4, 5}, false), cache))
                .isInstanceOf(ContextOverflowException.class)
                .hasMessageContaining("5 tokens needed but the context holds 4");
    }

    @Test
    void tokenOutsideTheVocabularyIsRejected() {
        KvCache cache = model.newCache(1, 4);
        assertThatThrownBy(() -> model.forward(Batch.of(0, 0, new int[] {tiny.vocab}, false), cache))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the vocabulary");
    }

    @Test
    void aGapInPositionsIsRejected() {
        KvCache cache = model.newCache(1, 16);
        assertThatThrownBy(() -> model.forward(new Batch().add(1, 3, 0, true), cache))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds only 0 positions");
    }

    @Test
    void missingAndMisshapenTensorsAreNamed() {
        TinyQwen3 broken = new TinyQwen3(1);
        broken.tensors.remove("blk.1.attn_k_norm.weight");
        assertThatThrownBy(() -> broken.model(1)).isInstanceOf(ModelException.class)
                .hasMessage("tensor blk.1.attn_k_norm.weight is missing from the model file");
        TinyQwen3 misshapen = new TinyQwen3(1);
        misshapen.put("blk.0.ffn_up.weight", new float[48 * 95], new long[] {48, 95});
        assertThatThrownBy(() -> misshapen.model(1)).isInstanceOf(ModelException.class)
                .hasMessage("tensor blk.0.ffn_up.weight has shape [48, 95], expected [48, 96]");
    }

    @Test
    void unknownArchitectureAndMissingKeysAreNamed() {
        assertThatThrownBy(() -> ModelConfig.fromMetadata(MetadataView.of(Map.of("general.architecture", "mamba"))))
                .isInstanceOf(UnsupportedArchitectureException.class)
                .hasMessageContaining("unsupported model architecture 'mamba'");
        TinyQwen3 t = new TinyQwen3(1);
        t.metadata.remove("qwen3.block_count");
        assertThatThrownBy(t::config).isInstanceOf(ModelException.class)
                .hasMessage("metadata key qwen3.block_count is missing");
    }

    @Test
    void headDimComesFromKeyLengthNotWidthOverHeads() {
        // Qwen3-0.6B's shape in miniature: 4 heads of 16 on a residual stream 32 wide.
        TinyQwen3 wide = new TinyQwen3(5, 1, 32, 4, 2, 16, 64, 40, false);
        assertThat(wide.config().keyLength()).isEqualTo(16);
        try (LlamaModel m = wide.model(2)) {
            int[] tokens = {3, 1, 4, 1, 5};
            float[] logits = m.logitsForAllPositions(tokens);
            double[][] expected = wide.referenceLogits(tokens);
            for (int v = 0; v < wide.vocab; v++) {
                assertThat((double) logits[4 * wide.vocab + v]).isCloseTo(expected[4][v], within(1e-3));
            }
        }
    }

    static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(tolerance * (1 + Math.abs(expected[i]))));
        }
    }
}
