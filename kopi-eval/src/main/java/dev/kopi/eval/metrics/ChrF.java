package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level chrF as sacreBLEU 2 computes it (default, non-epsilon mode): character n-grams (whitespace removed)
 * and word n-grams (punctuation split off word ends), statistics summed over the corpus, then precision and recall
 * averaged over the orders that have both hypothesis and reference n-grams, combined as F-β. SEA-HELM uses chrF++:
 * character 1..6-grams, word 1..2-grams, β = 2.
 */
public final class ChrF {
    /** sacreBLEU's chrF++: {@code CHRF(word_order=2)}. */
    public static final ChrF CHRF_PLUS_PLUS = new ChrF(6, 2, 2);

    private final int charOrder;
    private final int wordOrder;
    private final double beta;

    /** chrF with the given n-gram orders and β, using sacreBLEU's effective-order averaging. */
    public ChrF(int charOrder, int wordOrder, double beta) {
        this.charOrder = charOrder;
        this.wordOrder = wordOrder;
        this.beta = beta;
    }

    /** chrF++ in [0, 100] of hypotheses against one reference each. */
    public static double corpusScore(List<String> hypotheses, List<String> references) {
        return CHRF_PLUS_PLUS.score(hypotheses, references);
    }

    /** The corpus score in [0, 100] of hypotheses against one reference each. */
    public double score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("hypotheses and references differ in number");
        }
        long[] totals = new long[3 * (charOrder + wordOrder)];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] stats = statistics(hypotheses.get(i), references.get(i));
            for (int k = 0; k < totals.length; k++) {
                totals[k] += stats[k];
            }
        }
        return fScore(totals);
    }

    long[] statistics(String hypothesis, String reference) {
        List<Map<String, Integer>> hyp = ngrams(hypothesis);
        List<Map<String, Integer>> ref = ngrams(reference);
        long[] stats = new long[3 * hyp.size()];
        for (int order = 0; order < hyp.size(); order++) {
            Map<String, Integer> h = hyp.get(order);
            Map<String, Integer> r = ref.get(order);
            long hypCount = 0;
            long match = 0;
            for (Map.Entry<String, Integer> e : h.entrySet()) {
                hypCount += e.getValue();
                match += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
            }
            stats[3 * order] = r.isEmpty() ? 0 : hypCount;
            stats[3 * order + 1] = r.values().stream().mapToLong(Integer::longValue).sum();
            stats[3 * order + 2] = match;
        }
        return stats;
    }

    private List<Map<String, Integer>> ngrams(String text) {
        List<Map<String, Integer>> all = new ArrayList<>();
        int[] chars = String.join("", PyText.split(text)).codePoints().toArray();
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= chars.length; i++) {
                counts.merge(new String(chars, i, n), 1, Integer::sum);
            }
            all.add(counts);
        }
        List<String> words = words(text);
        for (int n = 1; n <= wordOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= words.size(); i++) {
                counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
            }
            all.add(counts);
        }
        return all;
    }

    /** Words with one punctuation mark split off the end (or else the start), as chrF++ does. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : PyText.split(text)) {
            if (PyText.length(w) == 1) {
                words.add(w);
            } else if (PyText.ASCII_PUNCTUATION.indexOf(w.charAt(w.length() - 1)) >= 0) {
                words.add(w.substring(0, w.length() - 1));
                words.add(w.substring(w.length() - 1));
            } else if (PyText.ASCII_PUNCTUATION.indexOf(w.charAt(0)) >= 0) {
                words.add(w.substring(0, 1));
                words.add(w.substring(1));
            } else {
                words.add(w);
            }
        }
        return words;
    }

    private double fScore(long[] stats) {
        double factor = beta * beta;
        double precisionSum = 0;
        double recallSum = 0;
        int effectiveOrder = 0;
        for (int order = 0; order < stats.length / 3; order++) {
            long hyp = stats[3 * order];
            long ref = stats[3 * order + 1];
            long match = stats[3 * order + 2];
            if (hyp > 0 && ref > 0) {
                precisionSum += (double) match / hyp;
                recallSum += (double) match / ref;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0;
        }
        double precision = precisionSum / effectiveOrder;
        double recall = recallSum / effectiveOrder;
        if (precision + recall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }
}
