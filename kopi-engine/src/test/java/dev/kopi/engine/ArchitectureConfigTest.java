package dev.kopi.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Each architecture's metadata keys, defaults and errors, as llama.cpp reads them. */
class ArchitectureConfigTest {

    private static Map<String, Object> base(String arch, int layers) {
        Map<String, Object> m = new HashMap<>();
        m.put("general.architecture", arch);
        m.put(arch + ".block_count", layers);
        m.put(arch + ".embedding_length", 256);
        m.put(arch + ".feed_forward_length", 512);
        m.put(arch + ".attention.head_count", 4);
        m.put(arch + ".attention.head_count_kv", 2);
        m.put(arch + ".context_length", 8192);
        return m;
    }

    @Test
    void gemma2DefaultsToSoftCappingAndEveryOtherLayerWindowed() {
        ModelConfig c = ModelConfig.fromMetadata(MetadataView.of(base("gemma2", 4)));
        assertThat(c.attention().logitSoftcap()).isEqualTo(50.0f);
        assertThat(c.finalLogitSoftcap()).isEqualTo(30.0f);
        assertThat(c.attention().slidingWindow()).isEqualTo(new SlidingWindow(4096, 2));
        assertThat(c.attention().slidingWindow().covers(0)).isTrue();
        assertThat(c.attention().slidingWindow().covers(1)).isFalse();
        assertThat(c.attention().scale()).isCloseTo((float) (1 / Math.sqrt(64)), within(1e-7f));
        assertThat(c.localRope().freqBase()).isEqualTo(10000.0f);
    }

    @Test
    void gemma3WindowsFiveLayersInSixWithTheirOwnRopeBase() {
        Map<String, Object> m = base("gemma3", 62);
        m.put("gemma3.attention.sliding_window", 1024);
        m.put("gemma3.rope.freq_base", 1_000_000.0f);
        m.put("gemma3.rope.scaling.type", "linear");
        m.put("gemma3.rope.scaling.factor", 8.0f);
        m.put("gemma3.attention.key_length", 32);
        ModelConfig c = ModelConfig.fromMetadata(MetadataView.of(m));
        SlidingWindow w = c.attention().slidingWindow();
        assertThat(java.util.stream.IntStream.range(0, 12).filter(w::covers).toArray())
                .containsExactly(0, 1, 2, 3, 4, 6, 7, 8, 9, 10);
        assertThat(w.firstVisible(0, 2000)).isEqualTo(977);
        assertThat(w.firstVisible(5, 2000)).isZero();
        assertThat(c.rope().freqScale()).isEqualTo(0.125f);
        assertThat(c.localRope().freqBase()).isEqualTo(10000.0f);
        assertThat(c.localRope().freqScale()).isEqualTo(1.0f);
        // 62 layers is the 27B: queries scale by 1/sqrt(embedding / heads), not the key length
        assertThat(c.attention().scale()).isCloseTo((float) (1 / Math.sqrt(64)), within(1e-7f));
        assertThat(c.attention().logitSoftcap()).isZero();
        assertThat(c.finalLogitSoftcap()).isZero();
    }

    @Test
    void gemma3WithoutAWindowKeyHasNoWindowedLayers() {
        ModelConfig c = ModelConfig.fromMetadata(MetadataView.of(base("gemma3", 6)));
        assertThat(c.attention().slidingWindow().covers(0)).isFalse();
    }

    @Test
    void apertusReadsOneXieluPerLayerAndNamesAMissingKey() {
        Map<String, Object> m = base("apertus", 2);
        m.put("xielu.alpha_n", new float[] {0.2f, -0.1f});
        m.put("xielu.alpha_p", new float[] {0.2f, 0.3f});
        m.put("xielu.beta", 0.5f);
        m.put("xielu.eps", new float[] {-1e-6f, -1e-6f});
        ModelConfig c = ModelConfig.fromMetadata(MetadataView.of(m));
        assertThat(c.xielu()).hasSize(2);
        // ggml_xielu's operands: alpha_n = beta + softplus(alpha_n), alpha_p = softplus(alpha_p)
        assertThat(c.xielu().get(1).alphaN()).isCloseTo(0.5f + (float) Math.log1p(Math.exp(-0.1)), within(1e-6f));
        assertThat(c.xielu().get(0).alphaP()).isCloseTo((float) Math.log1p(Math.exp(0.2)), within(1e-6f));
        float[] x = {2.0f, -1.0f};
        c.xielu().get(0).apply(x, 0, 2);
        float ap = c.xielu().get(0).alphaP();
        float an = c.xielu().get(0).alphaN();
        assertThat(x[0]).isCloseTo(ap * 4 + 0.5f * 2, within(1e-5f));
        assertThat(x[1]).isCloseTo((float) ((Math.expm1(-1) + 1) * an - 0.5), within(1e-5f));
        m.remove("xielu.beta");
        assertThatThrownBy(() -> ModelConfig.fromMetadata(MetadataView.of(m))).isInstanceOf(ModelException.class)
                .hasMessage("metadata key xielu.beta is missing");
        m.put("xielu.beta", new float[] {0.5f});
        assertThatThrownBy(() -> ModelConfig.fromMetadata(MetadataView.of(m))).isInstanceOf(ModelException.class)
                .hasMessage("metadata key xielu.beta has 1 values for 2 layers");
    }

    @Test
    void llamaRotatesConsecutivePairs() {
        Rope rope = new Rope(RopeConfig.unscaled(4, 10000f), Rope.Style.NORMAL, new float[] {1f, 8f});
        float[] cos = new float[2];
        float[] sin = new float[2];
        rope.angles(3, cos, sin, 0);
        assertThat(sin[1]).isCloseTo((float) Math.sin(3 * Math.pow(10000, -0.5) / 8), within(1e-6f));
        float[] x = {1, 0, 1, 0};
        rope.rotate(x, 0, cos, sin, 0);
        assertThat(x).containsExactly(new float[] {cos[0], sin[0], cos[1], sin[1]}, within(1e-7f));
        assertThat(ModelConfig.fromMetadata(MetadataView.of(base("llama", 2))).architecture().ropeStyle())
                .isEqualTo(Rope.Style.NORMAL);
    }
}
