package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log-probability tasks (SEA-HELM's {@code LogProbMetric}, and {@code MinimalPairsLogProbMetric} and
 * {@code PragmaticReasoningLogProbMetric} for LINDSEA, which add the same statistics per linguistic phenomenon).
 * An item's score is the probability the model gives its label after its own answer up to the tag,
 * {@code 100·exp(logprob)}, or 0 when the label was not scored (the answer did not stop at the tag).
 */
public final class LogprobMetric implements TaskMetric {
    public static final String METRIC = "probabilities_accuracy";

    private final boolean byPhenomenon;

    /** @param byPhenomenon also report the statistics per {@code metadata.linguistic_phenomenon} (LINDSEA) */
    public LogprobMetric(boolean byPhenomenon) {
        this.byPhenomenon = byPhenomenon;
    }

    @Override
    public TaskScore score(List<ItemResponse> responses) {
        List<ItemScore> items = new ArrayList<>();
        for (ItemResponse response : responses) {
            items.add(new ItemScore(response.item().id(), response.first(), Map.of(METRIC, probability(response.logprob()))));
        }
        Map<String, Double> metrics = new LinkedHashMap<>(statistics("", responses));
        if (byPhenomenon) {
            Map<String, List<ItemResponse>> groups = new LinkedHashMap<>();
            for (ItemResponse r : responses) {
                groups.computeIfAbsent(r.item().metadata().path("linguistic_phenomenon").asText(""), k -> new ArrayList<>()).add(r);
            }
            groups.forEach((phenomenon, group) -> metrics.putAll(statistics("subcategory:" + phenomenon + ":", group)));
        }
        return new TaskScore(metrics, items);
    }

    private static double probability(double logprob) {
        return Double.isNaN(logprob) ? 0 : Math.exp(logprob) * 100;
    }

    /**
     * SEA-HELM's statistics: mean and standard error of the summed log-probabilities that exist (0 and 0 when fewer
     * than two), and of the probabilities with missing ones as 0.
     */
    private static Map<String, Double> statistics(String prefix, List<ItemResponse> responses) {
        List<Double> logprobs = new ArrayList<>();
        List<Double> probabilities = new ArrayList<>();
        for (ItemResponse r : responses) {
            if (!Double.isNaN(r.logprob())) {
                logprobs.add(r.logprob());
            }
            probabilities.add(probability(r.logprob()));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "null_count", (double) (responses.size() - logprobs.size()));
        boolean enough = logprobs.size() > 1;
        out.put(prefix + "average_cumulative_logprobs", enough ? mean(logprobs) : 0);
        out.put(prefix + "clt_se_cumulative_logprobs", enough ? standardError(logprobs) : 0);
        out.put(prefix + "average_cumulative_probabilities", mean(probabilities));
        out.put(prefix + "clt_se_cumulative_probabilities", standardError(probabilities));
        return out;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** {@code sqrt(sample variance / n)}, 0 for fewer than two values. */
    static double standardError(List<Double> values) {
        int n = values.size();
        if (n <= 1) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (n - 1) / n);
    }
}
