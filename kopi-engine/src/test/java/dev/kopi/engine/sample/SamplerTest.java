package dev.kopi.engine.sample;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {
    // probabilities at temperature 1: softmax of ln(p) is p
    static final float[] LOGITS = logs(0.5, 0.25, 0.125, 0.0625, 0.0625);

    @Test
    void greedyTakesTheArgmax() {
        Sampler s = new Sampler(SamplerSettings.greedy());
        assertThat(s.sample(new float[] {0.1f, 3f, -2f, 2.9f}, 0, 4)).isEqualTo(1);
    }

    @Test
    void temperatureOneDrawsFromTheSoftmax() {
        double[] freq = frequencies(SamplerSettings.defaults(1).withTopK(0).withTopP(1).withMinP(0).withTemperature(1), 40_000);
        double[] expected = {0.5, 0.25, 0.125, 0.0625, 0.0625};
        for (int i = 0; i < 5; i++) {
            assertThat(freq[i]).as("token %d", i).isCloseTo(expected[i], within(0.01));
        }
    }

    @Test
    void lowTemperatureSharpensTheDistribution() {
        double[] freq = frequencies(SamplerSettings.defaults(2).withTopK(0).withTopP(1).withMinP(0).withTemperature(0.5f), 40_000);
        // p^2 normalised: 0.25, 0.0625, ... / 0.3359375
        assertThat(freq[0]).isCloseTo(0.25 / 0.3359375, within(0.01));
    }

    @Test
    void topKKeepsTheKMostLikely() {
        double[] freq = frequencies(SamplerSettings.defaults(3).withTopK(2).withTopP(1).withMinP(0).withTemperature(1), 30_000);
        assertThat(freq[0]).isCloseTo(2.0 / 3, within(0.01));
        assertThat(freq[1]).isCloseTo(1.0 / 3, within(0.01));
        assertThat(freq[2] + freq[3] + freq[4]).isZero();
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // 0.5 + 0.25 = 0.75 >= 0.7: two tokens survive
        double[] freq = frequencies(SamplerSettings.defaults(4).withTopK(0).withTopP(0.7f).withMinP(0).withTemperature(1), 30_000);
        assertThat(freq[2] + freq[3] + freq[4]).isZero();
        assertThat(freq[0]).isCloseTo(2.0 / 3, within(0.01));
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        // threshold 0.2 * 0.5 = 0.1: tokens with p 0.0625 go
        double[] freq = frequencies(SamplerSettings.defaults(5).withTopK(0).withTopP(1).withMinP(0.2f).withTemperature(1), 30_000);
        assertThat(freq[3] + freq[4]).isZero();
        assertThat(freq[2]).isCloseTo(0.125 / 0.875, within(0.01));
    }

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        int[] a = draws(SamplerSettings.defaults(42).withTemperature(1.5f).withTopK(0).withMinP(0), 64);
        int[] b = draws(SamplerSettings.defaults(42).withTemperature(1.5f).withTopK(0).withMinP(0), 64);
        int[] c = draws(SamplerSettings.defaults(43).withTemperature(1.5f).withTopK(0).withMinP(0), 64);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void penaltiesFollowLlamaCpp() {
        // token 0 seen twice, token 1 once, within the window; token 2 seen once but outside a window of 3
        float[] logits = {2.0f, -1.0f, 1.5f, 0.5f};
        Sampler s = new Sampler(SamplerSettings.greedy().withPenalties(2.0f, 0.25f, 0.5f, 3));
        for (int t : new int[] {2, 0, 1, 0}) {
            s.accept(t);
        }
        // token 0: 2/2 - 2*0.5 - 0.25 = -0.25; token 1: -1*2 - 0.5 - 0.25 = -2.75; token 2 untouched 1.5
        assertThat(s.sample(logits, 0, 4)).isEqualTo(2);
        Sampler wide = new Sampler(SamplerSettings.greedy().withPenalties(2.0f, 0.25f, 0.5f, 64));
        for (int t : new int[] {2, 0, 1, 0}) {
            wide.accept(t);
        }
        // token 2 now penalised: 1.5/2 - 0.5 - 0.25 = 0; token 3 (0.5) wins
        assertThat(wide.sample(logits, 0, 4)).isEqualTo(3);
    }

    @Test
    void topKOnALargeVocabularyMatchesAFullSort() {
        float[] logits = new float[150_000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        Set<Integer> drawn = new HashSet<>();
        Sampler s = new Sampler(SamplerSettings.defaults(1).withTopK(3).withTopP(1).withMinP(0).withTemperature(100));
        for (int i = 0; i < 300; i++) {
            drawn.add(s.sample(logits, 0, logits.length));
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(logits[y], logits[x]));
        assertThat(drawn).containsExactlyInAnyOrder(order[0], order[1], order[2]);
    }

    @Test
    void outOfRangeSettingsAreRejected() {
        assertThatThrownBy(() -> SamplerSettings.greedy().withTopP(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("top-p must be within [0, 1], got 1.5");
    }

    private static double[] frequencies(SamplerSettings settings, int n) {
        double[] freq = new double[LOGITS.length];
        Sampler s = new Sampler(settings);
        for (int i = 0; i < n; i++) {
            freq[s.sample(LOGITS, 0, LOGITS.length)] += 1.0 / n;
        }
        return freq;
    }

    private static int[] draws(SamplerSettings settings, int n) {
        Sampler s = new Sampler(settings);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(LOGITS, 0, LOGITS.length);
        }
        return out;
    }

    private static float[] logs(double... p) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            l[i] = (float) Math.log(p[i]);
        }
        return l;
    }
}
