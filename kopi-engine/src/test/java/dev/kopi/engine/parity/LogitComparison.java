package dev.kopi.engine.parity;

import java.util.Locale;

/**
 * How far one set of logits is from a reference, over many positions: mean and max |Δ| as a fraction of the
 * reference logits' standard deviation, mean KL divergence of the softmaxes, and argmax agreement overall and at
 * the positions where the reference's top-2 margin exceeds {@link #DECISIVE_MARGIN}.
 */
record LogitComparison(String label, int positions, double meanAbsRel, double maxAbsRel, double meanKl,
                       int argmaxAgree, int decisive, int decisiveAgree) {

    /** Top-2 margin above which an argmax disagreement is a real error and not a near tie. */
    static final double DECISIVE_MARGIN = 0.05;

    static LogitComparison of(String label, float[][] reference, float[][] other) {
        int n = reference.length;
        if (other.length != n) {
            throw new IllegalArgumentException(label + ": " + other.length + " positions against " + n);
        }
        double sum = 0, sumSq = 0, absSum = 0, absMax = 0, klSum = 0;
        long count = 0;
        int agree = 0, decisive = 0, decisiveAgree = 0;
        for (int t = 0; t < n; t++) {
            float[] r = reference[t];
            float[] o = other[t];
            if (o.length != r.length) {
                throw new IllegalArgumentException(label + ": vocabularies of " + o.length + " and " + r.length);
            }
            for (int i = 0; i < r.length; i++) {
                sum += r[i];
                sumSq += (double) r[i] * r[i];
                double d = Math.abs((double) o[i] - r[i]);
                absSum += d;
                absMax = Math.max(absMax, d);
            }
            count += r.length;
            klSum += kl(r, o);
            boolean same = argmax(r) == argmax(o);
            agree += same ? 1 : 0;
            if (topTwoMargin(r) > DECISIVE_MARGIN) {
                decisive++;
                decisiveAgree += same ? 1 : 0;
            }
        }
        double mean = sum / count;
        double std = Math.sqrt(sumSq / count - mean * mean);
        return new LogitComparison(label, n, absSum / count / std, absMax / std, klSum / n, agree, decisive,
                decisiveAgree);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The index of the second-largest value. */
    static int runnerUp(float[] v) {
        int best = argmax(v);
        int second = best == 0 ? 1 : 0;
        for (int i = 0; i < v.length; i++) {
            if (i != best && v[i] > v[second]) {
                second = i;
            }
        }
        return second;
    }

    static double topTwoMargin(float[] v) {
        double first = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            if (x > first) {
                second = first;
                first = x;
            } else if (x > second) {
                second = x;
            }
        }
        return first - second;
    }

    /** KL(softmax(p) ‖ softmax(q)) in nats. */
    static double kl(float[] p, float[] q) {
        double pMax = Double.NEGATIVE_INFINITY, qMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            pMax = Math.max(pMax, p[i]);
            qMax = Math.max(qMax, q[i]);
        }
        double pSum = 0, qSum = 0;
        for (int i = 0; i < p.length; i++) {
            pSum += Math.exp(p[i] - pMax);
            qSum += Math.exp(q[i] - qMax);
        }
        double pLog = pMax + Math.log(pSum), qLog = qMax + Math.log(qSum);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            double lp = p[i] - pLog;
            double lq = q[i] - qLog;
            kl += Math.exp(lp) * (lp - lq);
        }
        return Math.max(0, kl);
    }

    /** One markdown table row: label, mean and max |Δ| in % of std, KL, argmax agreement. */
    String row() {
        return String.format(Locale.ROOT, "| %s | %.3f%% | %.2f%% | %.2e | %d/%d | %d/%d |", label, 100 * meanAbsRel,
                100 * maxAbsRel, meanKl, argmaxAgree, positions, decisiveAgree, decisive);
    }

    static String header() {
        return "| model · compared | mean abs Δ / std | max abs Δ / std | mean KL (nats) | argmax equal | argmax equal (margin > "
                + DECISIVE_MARGIN + ") |\n|---|---|---|---|---|---|";
    }
}
