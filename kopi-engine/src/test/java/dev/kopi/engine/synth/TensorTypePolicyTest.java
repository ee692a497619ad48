package dev.kopi.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.kopi.engine.Architecture;
import dev.kopi.gguf.GgmlType;

/** The rules themselves; {@code QuantMixParityTest} compares whole files with llama.cpp's choices. */
class TensorTypePolicyTest {

    @Test
    void moreBitsGoToTheFirstAndLastEighthAndEveryThirdLayerBetween() {
        int[] chosen = IntStream.range(0, 28).filter(l -> TensorTypePolicy.useMoreBits(l, 28)).toArray();
        // n/8 = 3, 7n/8 = 24: layers 0-2, 24-27, and 5, 8, ..., 23 (i - 3) % 3 == 2
        assertThat(chosen).containsExactly(0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24, 25, 26, 27);
    }

    @Test
    void q4KMediumOnTheTiedSmallShape() {
        ModelShape s = ModelShape.named(Architecture.QWEN3, "0.6b");
        TensorTypePolicy p = TensorTypePolicy.of(FileType.Q4_K_M, s);
        assertThat(p.typeOf("token_embd.weight", 1024, 2)).isEqualTo(GgmlType.Q6_K);
        assertThat(p.typeOf("blk.0.attn_v.weight", 1024, 2)).isEqualTo(GgmlType.Q6_K);
        assertThat(p.typeOf("blk.3.attn_v.weight", 1024, 2)).isEqualTo(GgmlType.Q4_K);
        assertThat(p.typeOf("blk.5.ffn_down.weight", 3072, 2)).isEqualTo(GgmlType.Q6_K);
        assertThat(p.typeOf("blk.4.ffn_down.weight", 3072, 2)).isEqualTo(GgmlType.Q4_K);
        assertThat(p.typeOf("blk.4.attn_q.weight", 1024, 2)).isEqualTo(GgmlType.Q4_K);
        assertThat(p.typeOf("blk.4.attn_norm.weight", 1024, 1)).isEqualTo(GgmlType.F32);
        assertThat(p.typeOf("blk.4.attn_q_norm.weight", 128, 1)).isEqualTo(GgmlType.F32);
    }

    @Test
    void untiedOutputGetsQ6KAndEmbeddingsKeepTheDefault() {
        TensorTypePolicy p = TensorTypePolicy.of(FileType.Q4_0, ModelShape.named(Architecture.QWEN3, "8b"));
        assertThat(p.typeOf("output.weight", 4096, 2)).isEqualTo(GgmlType.Q6_K);
        assertThat(p.typeOf("token_embd.weight", 4096, 2)).isEqualTo(GgmlType.Q4_0);
        TensorTypePolicy q8 = TensorTypePolicy.of(FileType.Q8_0, ModelShape.named(Architecture.QWEN3, "8b"));
        assertThat(q8.typeOf("output.weight", 4096, 2)).isEqualTo(GgmlType.Q8_0);
    }

    @Test
    void rowsThatDoNotFitTheBlockFallBack() {
        TensorTypePolicy p = new TensorTypePolicy(FileType.Q4_K_M, 4, 2, false, false);
        assertThat(p.typeOf("blk.1.attn_q.weight", 96, 2)).isEqualTo(GgmlType.Q5_0);
        assertThat(p.typeOf("blk.3.ffn_down.weight", 96, 2)).isEqualTo(GgmlType.Q8_0);
        assertThat(p.typeOf("blk.1.attn_q.weight", 100, 2)).isEqualTo(GgmlType.F16);
        assertThat(p.typeOf("output.weight", 96, 2)).isEqualTo(GgmlType.Q8_0);
    }

    @Test
    void plainFileTypesStoreEveryMatrixInThatType() {
        TensorTypePolicy p = TensorTypePolicy.of(FileType.F16, ModelShape.named(Architecture.QWEN3, "tiny"));
        assertThat(p.typeOf("token_embd.weight", 256, 2)).isEqualTo(GgmlType.F16);
        assertThat(p.typeOf("blk.0.ffn_norm.weight", 256, 1)).isEqualTo(GgmlType.F32);
    }

    @Test
    void llama70bGivesAttnVOneStepMore() {
        TensorTypePolicy big = TensorTypePolicy.of(FileType.Q4_K_M, ModelShape.named(Architecture.LLAMA, "70b"));
        // layer 11 is not one of Q4_K_M's more-bits layers (those are Q6_K either way, like 12)
        assertThat(big.typeOf("blk.11.attn_v.weight", 8192, 2)).isEqualTo(GgmlType.Q5_K);
        assertThat(big.typeOf("blk.12.attn_v.weight", 8192, 2)).isEqualTo(GgmlType.Q6_K);
        assertThat(big.typeOf("blk.11.attn_k.weight", 8192, 2)).isEqualTo(GgmlType.Q4_K);
        TensorTypePolicy small = TensorTypePolicy.of(FileType.Q4_K_M, ModelShape.named(Architecture.LLAMA, "8b"));
        assertThat(small.typeOf("blk.13.attn_v.weight", 4096, 2)).isEqualTo(GgmlType.Q4_K);
    }

    @Test
    void shapesCountParametersAsLlamaCppDoes() {
        assertThat(ModelShape.named(Architecture.QWEN3, "0.6b").parameterCount()).isEqualTo(596_049_920L);
        assertThat(ModelShape.named(Architecture.QWEN3, "32B").tiedEmbeddings()).isFalse();
    }
}
