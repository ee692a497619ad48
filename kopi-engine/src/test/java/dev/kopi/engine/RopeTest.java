package dev.kopi.engine;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RopeTest {

    @Test
    void unscaledAnglesArePositionTimesBasePowers() {
        Rope rope = new Rope(RopeConfig.unscaled(128, 1_000_000f));
        float[] cos = new float[64];
        float[] sin = new float[64];
        rope.angles(5, cos, sin, 0);
        // cos(5 * 1e6^(-2i/128)) for i = 0, 1, 63, computed by hand (python math).
        assertThat(cos[0]).isCloseTo(0.28366218546322625f, within(1e-6f));
        assertThat(cos[1]).isCloseTo(-0.6312610029024239f, within(1e-5f));
        assertThat(cos[63]).isCloseTo(1.0f, within(1e-6f));
        assertThat(sin[0]).isCloseTo((float) Math.sin(5), within(1e-6f));
    }

    @Test
    void yarnMixesExtrapolatedAndInterpolatedAnglesAndScalesMagnitude() {
        // dims 8, base 1e4, factor 4, original context 32: correction dims [0, 1], so pair 0 keeps the
        // extrapolated angle and pairs 1.. are interpolated (divided by 4); magnitude 1 + 0.1 ln 4.
        RopeConfig config = RopeConfig.fromMetadata(yarnMetadata(8, 10000f, 4f, 32), "qwen3", 8, 128);
        assertThat(config.scaling()).isEqualTo(RopeConfig.Scaling.YARN);
        Rope rope = new Rope(config);
        assertThat(rope.correctionDims()).containsExactly(0f, 1f);
        float[] cos = new float[4];
        float[] sin = new float[4];
        rope.angles(3, cos, sin, 0);
        float[] expectedCos = {-1.1272345981592655f, 1.1354285416642838f, 1.1385974123092104f, 1.138629115872475f};
        float[] expectedSin = {0.16068339520132596f, 0.08531717033999904f, 0.00853964071118286f, 0.0008539719970241118f};
        for (int i = 0; i < 4; i++) {
            assertThat(cos[i]).as("cos %d", i).isCloseTo(expectedCos[i], within(1e-5f));
            assertThat(sin[i]).as("sin %d", i).isCloseTo(expectedSin[i], within(1e-5f));
        }
    }

    @Test
    void yarnRampsLinearlyBetweenTheCorrectionDimensions() {
        // Qwen3 with a 4x YaRN extension of its 32768 training context: correction dims [23, 40].
        RopeConfig config = RopeConfig.fromMetadata(yarnMetadata(128, 1_000_000f, 4f, 32768), "qwen3", 128, 131072);
        Rope rope = new Rope(config);
        assertThat(rope.correctionDims()).containsExactly(23f, 40f);
        float[] cos = new float[64];
        float[] sin = new float[64];
        int position = 1000;
        rope.angles(position, cos, sin, 0);
        double mscale = 1 + 0.1 * Math.log(4);
        for (int i : new int[] {10, 23, 30, 40, 50}) {
            double extrapolated = position * Math.pow(1e6, -2.0 * i / 128);
            double ramp = 1 - Math.min(1, Math.max(0, (i - 23) / 17.0));
            double theta = extrapolated / 4 * (1 - ramp) + extrapolated * ramp;
            assertThat((double) cos[i]).as("cos %d", i).isCloseTo(Math.cos(theta) * mscale, within(2e-3));
            assertThat((double) sin[i]).as("sin %d", i).isCloseTo(Math.sin(theta) * mscale, within(2e-3));
        }
    }

    @Test
    void linearScalingDividesPositions() {
        Map<String, Object> meta = yarnSettings(8, 10000f, 2f, 32);
        meta.put("qwen3.rope.scaling.type", "linear");
        Rope rope = new Rope(RopeConfig.fromMetadata(MetadataView.of(meta), "qwen3", 8, 32));
        float[] cos = new float[4];
        float[] sin = new float[4];
        rope.angles(4, cos, sin, 0);
        assertThat(cos[0]).isCloseTo((float) Math.cos(2.0), within(1e-6f));
    }

    private static MetadataView yarnMetadata(int dims, float base, float factor, int original) {
        return MetadataView.of(yarnSettings(dims, base, factor, original));
    }

    private static Map<String, Object> yarnSettings(int dims, float base, float factor, int original) {
        Map<String, Object> m = new HashMap<>();
        m.put("qwen3.rope.dimension_count", dims);
        m.put("qwen3.rope.freq_base", base);
        m.put("qwen3.rope.scaling.type", "yarn");
        m.put("qwen3.rope.scaling.factor", factor);
        m.put("qwen3.rope.scaling.original_context_length", original);
        return m;
    }
}
