package dev.kopi.eval.fertility;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

import dev.kopi.eval.metrics.PyText;
import dev.kopi.eval.report.Html;

/**
 * Tokenizer cost per language: how many tokens a tokenizer spends per word and per character of a text. Words are
 * ICU word-break segments that hold a letter, digit or ideograph (so Thai, Burmese, Khmer and Lao, written without
 * spaces, are counted with ICU's dictionaries); characters are non-whitespace code points.
 */
public final class Fertility {
    private Fertility() {}

    /** A text in one language. */
    public record Corpus(String language, String text) {}

    /** The cost of one tokenizer on one language. */
    public record Cell(String language, String tokenizer, long tokens, long words, long characters) {
        public double tokensPerWord() {
            return words == 0 ? 0 : (double) tokens / words;
        }

        public double tokensPerCharacter() {
            return characters == 0 ? 0 : (double) tokens / characters;
        }
    }

    /** Measures every tokenizer (name → token count of a text, without special tokens) on every corpus. */
    public static List<Cell> measure(Map<String, ToIntFunction<String>> tokenizers, List<Corpus> corpora) {
        List<Cell> cells = new ArrayList<>();
        for (Corpus corpus : corpora) {
            long words = words(corpus.language(), corpus.text());
            long characters = characters(corpus.text());
            for (Map.Entry<String, ToIntFunction<String>> tokenizer : tokenizers.entrySet()) {
                long tokens = 0;
                for (String line : corpus.text().split("\n")) {
                    if (!line.isBlank()) {
                        tokens += tokenizer.getValue().applyAsInt(line);
                    }
                }
                cells.add(new Cell(corpus.language(), tokenizer.getKey(), tokens, words, characters));
            }
        }
        return cells;
    }

    /** Words of {@code text} by ICU's word breaks for {@code language}. */
    public static long words(String language, String text) {
        BreakIterator breaks = BreakIterator.getWordInstance(new ULocale(language));
        breaks.setText(text);
        long words = 0;
        breaks.first();
        while (breaks.next() != BreakIterator.DONE) {
            if (breaks.getRuleStatus() >= BreakIterator.WORD_NONE_LIMIT) {
                words++;
            }
        }
        return words;
    }

    /** Code points that are not whitespace. */
    public static long characters(String text) {
        return text.codePoints().filter(cp -> !PyText.isSpace(cp)).count();
    }

    /** A text table: one row per language, tokens per word and per character for each tokenizer. */
    public static String table(List<Cell> cells) {
        Set<String> tokenizers = new LinkedHashSet<>();
        Map<String, Map<String, Cell>> byLanguage = new LinkedHashMap<>();
        for (Cell cell : cells) {
            tokenizers.add(cell.tokenizer());
            byLanguage.computeIfAbsent(cell.language(), l -> new LinkedHashMap<>()).put(cell.tokenizer(), cell);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-10s %8s %8s", "language", "words", "chars"));
        for (String t : tokenizers) {
            out.append(String.format(Locale.ROOT, " %24s", t + " tok/word tok/char"));
        }
        out.append('\n');
        byLanguage.forEach((language, row) -> {
            Cell any = row.values().iterator().next();
            out.append(String.format(Locale.ROOT, "%-10s %8d %8d", language, any.words(), any.characters()));
            for (String t : tokenizers) {
                Cell c = row.get(t);
                out.append(String.format(Locale.ROOT, " %15.2f %8.3f", c.tokensPerWord(), c.tokensPerCharacter()));
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** A self-contained HTML page: the table and a tokens-per-word chart per language. */
    public static String html(List<Cell> cells) {
        StringBuilder body = new StringBuilder("<pre>").append(Html.escape(table(cells))).append("</pre>\n");
        Map<String, List<Html.Bar>> byLanguage = new LinkedHashMap<>();
        double max = 0;
        for (Cell cell : cells) {
            byLanguage.computeIfAbsent(cell.language(), l -> new ArrayList<>()).add(new Html.Bar(cell.tokenizer(), cell.tokensPerWord(), 0));
            max = Math.max(max, cell.tokensPerWord());
        }
        for (Map.Entry<String, List<Html.Bar>> entry : byLanguage.entrySet()) {
            body.append("<h2>").append(Html.escape(entry.getKey())).append(": tokens per word</h2>\n")
                    .append(Html.barChart(entry.getValue(), max, ""));
        }
        return Html.page("kopi eval fertility", body.toString());
    }
}
