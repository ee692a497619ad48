package dev.kopi.eval.metrics;

import java.util.ArrayList;
import java.util.List;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

/**
 * Dictionary word segmentation for scripts written without spaces (Thai, Lao, Khmer, Burmese, Chinese), through
 * ICU's word break iterator. SEA-HELM segments Thai with PyThaiNLP's {@code newmm} and Chinese with jieba; both are,
 * like ICU, dictionary-based maximal matching, but their dictionaries differ from ICU's, so word boundaries (and so
 * token F1 and ROUGE-L) can differ on some words. Whitespace runs come back as their own segments, as newmm returns
 * them.
 */
public final class WordSegmenter {
    private final ULocale locale;

    public WordSegmenter(String language) {
        this.locale = new ULocale(language);
    }

    /** The segments of {@code text} in order; concatenated they give back {@code text}. */
    public List<String> segments(String text) {
        BreakIterator words = BreakIterator.getWordInstance(locale);
        words.setText(text);
        List<String> segments = new ArrayList<>();
        int start = words.first();
        for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
            segments.add(text.substring(start, end));
        }
        return segments;
    }
}
