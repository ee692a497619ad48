package dev.kopi.eval.aggregate;

import java.util.List;

/**
 * A score with its standard error, from per-bootstrap values.
 *
 * @param perBootstrap the score in each bootstrap resample (SEA-HELM's {@code mean_list})
 */
public record Estimate(double mean, double stderr, List<Double> perBootstrap) {
    public Estimate {
        perBootstrap = List.copyOf(perBootstrap);
    }

    /** Mean and standard error of the mean (sample variance over n − 1, as Python's {@code statistics.variance}). */
    public static Estimate of(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        double stderr = 0;
        if (n > 1) {
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            stderr = Math.sqrt(squares / (n - 1) / n);
        }
        return new Estimate(mean, stderr, values);
    }

    /** The element-wise mean of several per-bootstrap lists. */
    static List<Double> elementwiseMean(List<List<Double>> lists) {
        int n = lists.get(0).size();
        Double[] out = new Double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (List<Double> list : lists) {
                sum += list.get(i);
            }
            out[i] = sum / lists.size();
        }
        return List.of(out);
    }
}
