package dev.kopi.eval.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.kopi.eval.metrics.ClassificationStats;
import dev.kopi.eval.metrics.TaskMetric;

/**
 * SEA-HELM's score aggregation. Each of {@code n} bootstrap resamples draws, for every question independently, the
 * run whose answer counts; a task's resample score is the mean item score (times 100 for scores in [0, 1]) or, for
 * multiple-choice tasks, the balanced accuracy normalised for chance, (acc − 1/k)/(1 − 1/k) floored at 0. Tasks of an
 * aggregation group are averaged into one score; competency, language, overall and SEA scores are per-resample means
 * of the level below; each level reports the mean and standard error over resamples.
 */
public final class Aggregator {
    /** The languages of SEA-HELM's SEA average. */
    public static final List<String> SEA_LANGUAGES = List.of("id", "vi", "th", "ta", "tl", "ms", "my");
    /** SEA-HELM's number of bootstrap resamples. */
    public static final int BOOTSTRAPS = 30;

    /** Chooses, for each resample and question, which run's score counts. */
    @FunctionalInterface
    public interface RunSampler {
        int[][] sample(int bootstraps, int questions, int runs);

        /** Uniform choices from a seeded generator. */
        static RunSampler uniform(RandomGenerator random) {
            return (bootstraps, questions, runs) -> {
                int[][] choice = new int[bootstraps][questions];
                for (int b = 0; b < bootstraps; b++) {
                    for (int q = 0; q < questions; q++) {
                        choice[b][q] = random.nextInt(runs);
                    }
                }
                return choice;
            };
        }
    }

    private final int bootstraps;
    private final RunSampler sampler;
    private final RandomGenerator draws;

    /** @param draws uniform numbers in [0, 1) for the right-or-wrong draws of log-probability tasks */
    public Aggregator(int bootstraps, RunSampler sampler, RandomGenerator draws) {
        this.bootstraps = bootstraps;
        this.sampler = sampler;
        this.draws = draws;
    }

    /** An aggregator with SEA-HELM's 30 resamples from a generator seeded with {@code seed}. */
    public static Aggregator seahelm(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        return new Aggregator(BOOTSTRAPS, RunSampler.uniform(random), random);
    }

    public Scores aggregate(List<TaskRuns> tasks) {
        Map<String, Map<String, Scores.Competency.Builder>> byLanguage = new LinkedHashMap<>();
        for (TaskRuns task : tasks) {
            Estimate estimate = Estimate.of(taskResamples(task));
            byLanguage.computeIfAbsent(task.language(), l -> new LinkedHashMap<>())
                    .computeIfAbsent(task.competency(), c -> new Scores.Competency.Builder())
                    .add(task, estimate, incomplete(task));
        }
        Map<String, Scores.Language> languages = new LinkedHashMap<>();
        List<List<Double>> languageLists = new ArrayList<>();
        List<List<Double>> seaLists = new ArrayList<>();
        byLanguage.forEach((lang, competencies) -> {
            Map<String, Scores.Competency> built = new LinkedHashMap<>();
            competencies.forEach((name, builder) -> built.put(name, builder.build()));
            List<List<Double>> competencyLists = built.values().stream().map(c -> c.score().perBootstrap()).toList();
            Estimate languageScore = Estimate.of(Estimate.elementwiseMean(competencyLists));
            languages.put(lang, new Scores.Language(built, languageScore));
            languageLists.add(languageScore.perBootstrap());
            if (SEA_LANGUAGES.contains(lang)) {
                seaLists.add(languageScore.perBootstrap());
            }
        });
        Estimate overall = languageLists.isEmpty() ? null : Estimate.of(Estimate.elementwiseMean(languageLists));
        Estimate sea = seaLists.isEmpty() ? null : Estimate.of(Estimate.elementwiseMean(seaLists));
        return new Scores(languages, overall, sea);
    }

    private static boolean incomplete(TaskRuns task) {
        return task.scores().stream().anyMatch(List::isEmpty);
    }

    /** The task's score in each resample, on a 0..100 scale. */
    List<Double> taskResamples(TaskRuns task) {
        List<List<Double>> runs = task.scores().stream().filter(s -> !s.isEmpty()).toList();
        if (runs.isEmpty()) {
            return java.util.Collections.nCopies(bootstraps, 0.0);
        }
        int questions = runs.get(0).size();
        if (task.probabilities() && task.labels() != null && task.labels().size() == questions) {
            return drawnResamples(runs.get(0), task.labels());
        }
        for (List<Double> run : runs) {
            if (run.size() != questions) {
                throw new IllegalArgumentException(task.task() + " (" + task.language() + "): runs have different numbers of items");
            }
        }
        int[][] choice = sampler.sample(bootstraps, questions, runs.size());
        boolean multipleChoice = task.isMultipleChoice();
        boolean unitScale = task.scores().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(0) <= 1;
        List<Double> resamples = new ArrayList<>(bootstraps);
        for (int b = 0; b < bootstraps; b++) {
            double[] sample = new double[questions];
            for (int q = 0; q < questions; q++) {
                sample[q] = runs.get(choice[b][q]).get(q);
            }
            if (multipleChoice) {
                boolean[] right = new boolean[questions];
                for (int q = 0; q < questions; q++) {
                    right[q] = (int) sample[q] >= 1;
                }
                resamples.add(chanceNormalisedAccuracy(task.labels(), right));
            } else {
                double mean = 0;
                for (double v : sample) {
                    mean += v;
                }
                mean /= questions;
                resamples.add(unitScale ? 100 * mean : mean);
            }
        }
        return resamples;
    }

    /**
     * Log-probability tasks (SEA-HELM: {@code use_logprobs} and {@code max_n_runs: 1}): in each resample every item
     * is right with the probability the model gave its label (score / 100), and the resample scores the
     * chance-normalised balanced accuracy. SEA-HELM's notebook compares the uniform draw with the 0..100 score the
     * other way round ({@code draw > score}); kopi draws {@code draw < score / 100}, see docs/eval.md.
     */
    private List<Double> drawnResamples(List<Double> probabilities, List<String> labels) {
        List<Double> resamples = new ArrayList<>(bootstraps);
        for (int b = 0; b < bootstraps; b++) {
            boolean[] right = new boolean[probabilities.size()];
            for (int q = 0; q < right.length; q++) {
                right[q] = draws.nextDouble() < probabilities.get(q) / 100;
            }
            resamples.add(chanceNormalisedAccuracy(labels, right));
        }
        return resamples;
    }

    /** The balanced accuracy of predicting each label where {@code right} (and nothing elsewhere), normalised for chance, ×100. */
    private static double chanceNormalisedAccuracy(List<String> labels, boolean[] right) {
        List<String> predicted = new ArrayList<>(labels.size());
        for (int q = 0; q < labels.size(); q++) {
            predicted.add(right[q] ? labels.get(q) : "");
        }
        double accuracy = ClassificationStats.balancedAccuracy(labels, predicted);
        long classes = labels.stream().distinct().count();
        return 100 * TaskMetric.normalize(accuracy, 1.0 / classes, 1);
    }
}
