package dev.kopi.eval.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Balanced accuracy and macro-F1 with scikit-learn's definitions (including its zero-division conventions). */
public final class ClassificationStats {
    private ClassificationStats() {}

    /**
     * Mean recall over the classes present in {@code truth} (scikit-learn's {@code balanced_accuracy_score}: predicted
     * classes that never occur in the truth add no term).
     */
    public static double balancedAccuracy(List<String> truth, List<String> predicted) {
        check(truth, predicted);
        Map<String, int[]> perClass = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            int[] counts = perClass.computeIfAbsent(truth.get(i), k -> new int[2]);
            counts[1]++;
            if (truth.get(i).equals(predicted.get(i))) {
                counts[0]++;
            }
        }
        double sum = 0;
        for (int[] counts : perClass.values()) {
            sum += (double) counts[0] / counts[1];
        }
        return sum / perClass.size();
    }

    /**
     * Unweighted mean of per-class F1 (scikit-learn's {@code f1_score(average="macro")}). With {@code labels} null the
     * classes are all labels seen in either list, so a {@code null} prediction class counts with F1 0.
     */
    public static double macroF1(List<String> truth, List<String> predicted, Collection<String> labels) {
        check(truth, predicted);
        Collection<String> classes = labels;
        if (classes == null) {
            TreeSet<String> all = new TreeSet<>(truth);
            all.addAll(predicted);
            classes = all;
        }
        double sum = 0;
        for (String label : classes) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.size(); i++) {
                boolean isTrue = truth.get(i).equals(label);
                boolean isPredicted = predicted.get(i).equals(label);
                if (isTrue && isPredicted) {
                    tp++;
                } else if (isPredicted) {
                    fp++;
                } else if (isTrue) {
                    fn++;
                }
            }
            int denominator = 2 * tp + fp + fn;
            sum += denominator == 0 ? 0 : 2.0 * tp / denominator;
        }
        return classes.isEmpty() ? 0 : sum / classes.size();
    }

    private static void check(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size() || truth.isEmpty()) {
            throw new IllegalArgumentException("need equally many labels and predictions, at least one; got "
                    + truth.size() + " and " + predicted.size());
        }
    }
}
