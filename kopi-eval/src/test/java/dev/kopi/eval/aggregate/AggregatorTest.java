package dev.kopi.eval.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class AggregatorTest {

    /** Resample 0 takes run 0 for every question, resample 1 run 1, resample 2 alternates starting with run 0. */
    static final Aggregator.RunSampler FIXED = (bootstraps, questions, runs) -> {
        int[][] choice = new int[bootstraps][questions];
        for (int q = 0; q < questions; q++) {
            choice[0][q] = 0;
            choice[1][q] = 1;
            choice[2][q] = q % 2;
        }
        return choice;
    };

    /** For tasks without right-or-wrong draws: asking for one is a test failure. */
    static final RandomGenerator NO_DRAWS = () -> {
        throw new AssertionError("no draws expected");
    };

    /** Uniform numbers from a fixed list, in order. */
    static RandomGenerator fixedDraws(double... values) {
        int[] next = {0};
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("only nextDouble is used");
            }

            @Override
            public double nextDouble() {
                return values[next[0]++];
            }
        };
    }

    @Test
    void logprobTasksDrawRightOrWrongWithTheLabelsProbability() {
        // labels A B A B, probabilities of the labels 90%, 10%, 60%, 100%
        TaskRuns task = new TaskRuns("th", "knowledge", "thai_exam-logprobs", null,
                List.of(List.of(90.0, 10.0, 60.0, 100.0)), List.of("A", "B", "A", "B"), true);
        Aggregator aggregator = new Aggregator(2, FIXED, fixedDraws(0.5, 0.5, 0.5, 0.5, 0.95, 0.05, 0.7, 0.99));
        // resample 0: right where draw < p: T F T T -> recalls A 2/2, B 1/2 -> 0.75 -> (0.75-0.5)/0.5 = 50
        // resample 1: F T F T -> recalls A 0, B 1 -> 0.5 -> 0
        assertThat(aggregator.taskResamples(task)).containsExactly(50.0, 0.0);
    }

    @Test
    void multipleChoiceResamplesUseNormalisedBalancedAccuracy() {
        // labels A A B B; run 0 right on 1,1,0,0; run 1 right on 1,0,1,1
        TaskRuns task = new TaskRuns("id", "nlu", "sentiment", null,
                List.of(List.of(1.0, 1.0, 0.0, 0.0), List.of(1.0, 0.0, 1.0, 1.0)), List.of("A", "A", "B", "B"));
        Aggregator aggregator = new Aggregator(3, FIXED, NO_DRAWS);
        // resample 0: recalls A 1, B 0 -> 0.5 -> (0.5-0.5)/0.5 = 0
        // resample 1: recalls A 0.5, B 1 -> 0.75 -> 50
        // resample 2: q0 run0=1, q1 run1=0, q2 run0=0, q3 run1=1 -> A 0.5, B 0.5 -> 0.5 -> 0
        assertThat(aggregator.taskResamples(task)).containsExactly(0.0, 50.0, 0.0);
        Estimate estimate = Estimate.of(aggregator.taskResamples(task));
        assertThat(estimate.mean()).isCloseTo(50.0 / 3, within(1e-12));
        // sample variance of {0, 50, 0} = 833.33..; stderr = sqrt(833.33/3)
        assertThat(estimate.stderr()).isCloseTo(Math.sqrt(2500.0 / 3 / 3), within(1e-12));
    }

    @Test
    void levelsAverageResamplesWithGroupsCountingOnce() {
        // unit-scale task: scores in [0,1] are multiplied by 100; 0..100 scores are taken as they are
        TaskRuns qa = new TaskRuns("th", "nlu", "qa", null, List.of(List.of(1.0, 0.5), List.of(0.0, 0.5)), null);
        TaskRuns en = new TaskRuns("th", "nlg", "translation-en-xx", "translations", List.of(List.of(80.0, 40.0), List.of(60.0, 20.0)), null);
        TaskRuns xx = new TaskRuns("th", "nlg", "translation-xx-en", "translations", List.of(List.of(10.0, 30.0), List.of(10.0, 30.0)), null);
        TaskRuns sum = new TaskRuns("th", "nlg", "abssum", null, List.of(List.of(50.0), List.of(30.0)), null);
        TaskRuns en2 = new TaskRuns("en", "nlu", "qa", null, List.of(List.of(1.0), List.of(1.0)), null);
        Scores scores = new Aggregator(3, FIXED, NO_DRAWS).aggregate(List.of(qa, en, xx, sum, en2));
        var th = scores.languages().get("th");
        // qa resamples: run0 (1+.5)/2=75, run1 25, alternate (1 + .5)/2 = 75
        assertThat(th.competencies().get("nlu").tasks().get("qa").score().perBootstrap()).containsExactly(75.0, 25.0, 75.0);
        // en-xx: 60, 40, (80+20)/2=50; xx-en: 20, 20, 20; group: 40, 30, 35
        assertThat(th.competencies().get("nlg").groups().get("translations").perBootstrap()).containsExactly(40.0, 30.0, 35.0);
        // nlg = mean(abssum, group): abssum 50, 30, 50 -> 45, 30, 42.5
        assertThat(th.competencies().get("nlg").score().perBootstrap()).containsExactly(45.0, 30.0, 42.5);
        // th = mean(nlu, nlg) = 60, 27.5, 58.75
        assertThat(th.score().perBootstrap()).containsExactly(60.0, 27.5, 58.75);
        // SEA average only over SEA languages (en is left out); overall includes en (100 each)
        assertThat(scores.sea().perBootstrap()).containsExactly(60.0, 27.5, 58.75);
        assertThat(scores.overall().perBootstrap()).containsExactly(80.0, 63.75, 79.375);
        assertThat(scores.sea().mean()).isCloseTo((60 + 27.5 + 58.75) / 3, within(1e-12));
    }

    @Test
    void uniqueLabelsAreNotMultipleChoice() {
        assertThat(new TaskRuns("id", "nlg", "abssum", null, List.of(List.of(1.0)), List.of("a", "b")).isMultipleChoice()).isFalse();
        assertThat(new TaskRuns("id", "nlu", "s", null, List.of(List.of(1.0)), List.of("a", "a")).isMultipleChoice()).isTrue();
        assertThat(new TaskRuns("id", "nlu", "qa", null, List.of(List.of(1.0)), null).isMultipleChoice()).isFalse();
    }

    @Test
    void seededSamplerIsReproducible() {
        TaskRuns task = new TaskRuns("id", "nlu", "qa", null, List.of(List.of(1.0, 0.0, 1.0), List.of(0.0, 1.0, 0.0)), null);
        assertThat(Aggregator.seahelm(5).taskResamples(task)).isEqualTo(Aggregator.seahelm(5).taskResamples(task)).hasSize(30);
    }
}
