package dev.kopi.eval.metrics;

import java.util.List;

/** ROUGE-L (longest common subsequence) precision, recall and F1 between token lists. */
public final class RougeL {
    private RougeL() {}

    /** {precision, recall, f1}; all 0 when either side has no tokens. */
    public static double[] score(List<String> reference, List<String> prediction) {
        if (reference.isEmpty() || prediction.isEmpty()) {
            return new double[3];
        }
        int lcs = lcsLength(reference, prediction);
        double precision = (double) lcs / prediction.size();
        double recall = (double) lcs / reference.size();
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new double[] {precision, recall, f1};
    }

    static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
