package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Burmese syllable segmentation as used by SEA-HELM's ROUGE scorer (after the rule-based method of Thu and others,
 * ACM TALLIP 2019): spaces are removed, every dependent sign joins the character before it, a short cluster that
 * carries an asat (killer, U+103A) joins the cluster before it, and clusters around a virama (U+1039, stacked
 * consonants) are glued together.
 */
final class BurmeseSyllables {
    private static final int ASAT = 0x103A;
    private static final int DOT_BELOW = 0x1037;
    private static final int VIRAMA = 0x1039;

    private BurmeseSyllables() {}

    private static boolean isDependent(int cp) {
        return (cp >= 0x102B && cp <= 0x1032) || (cp >= 0x1036 && cp <= 0x1038) || (cp >= 0x103B && cp <= 0x103E) || cp == ASAT;
    }

    static List<String> split(String text) {
        String normalized = text.replace("\u200C", " ")
                .replace(new String(new int[] {DOT_BELOW, ASAT}, 0, 2), new String(new int[] {ASAT, DOT_BELOW}, 0, 2));
        String joined = String.join("", PyText.split(PyText.strip(PyText.lower(normalized))));
        int[] cps = joined.codePoints().toArray();
        // Each code point starts as its own cluster; walking backwards, a dependent sign (and all it has absorbed)
        // joins the cluster of the code point before it.
        String[] clusters = new String[cps.length];
        for (int i = 0; i < cps.length; i++) {
            clusters[i] = Character.toString(cps[i]);
        }
        for (int i = cps.length - 1; i > 0; i--) {
            if (isDependent(cps[i])) {
                clusters[i - 1] = clusters[i - 1] + clusters[i];
                clusters[i] = "";
            }
        }
        List<String> syllables = nonEmpty(clusters);
        String[] merged = syllables.toArray(String[]::new);
        for (int i = 1; i < merged.length; i++) {
            if (merged[i].indexOf(ASAT) >= 0 && PyText.length(merged[i]) < 4) {
                merged[i - 1] = merged[i - 1] + merged[i];
                merged[i] = "";
            }
        }
        String spaced = String.join(" ", nonEmpty(merged));
        String virama = Character.toString(VIRAMA);
        return PyText.split(spaced.replace(" " + virama + " ", virama));
    }

    private static List<String> nonEmpty(String[] parts) {
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            out.addAll(PyText.split(part));
        }
        return out;
    }
}
