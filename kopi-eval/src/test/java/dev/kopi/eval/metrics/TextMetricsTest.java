package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;

class TextMetricsTest {

    @Test
    void squadF1AndExactMatchByHand() {
        // prediction tokens [the, cat, sat], reference [a, cat, sat, down]: 2 common -> P 2/3, R 2/4, F1 4/7
        assertThat(SquadMetric.f1("The cat sat!", "a cat, sat down")).isCloseTo(4.0 / 7, within(1e-15));
        assertThat(SquadMetric.exactMatch("  Jakarta. ", "jakarta")).isTrue();
        assertThat(SquadMetric.f1("nothing", "jakarta")).isZero();
        // repeated tokens count once per occurrence: [a, a, b] vs [a, b, b] -> common a, b = 2; P 2/3 R 2/3
        assertThat(SquadMetric.f1("a a b", "a b b")).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void squadMetricTakesBestReferenceAndRestOfLine() {
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", "q1");
        row.putArray("label").add("Monas").add("Monumen Nasional");
        row.putArray("prompts").addObject().put("question", "?");
        EvalItem item = EvalItem.of(row, "test");
        TaskScore score = new SquadMetric("Jawaban:", "id").score(List.of(
                new ItemResponse(item, List.of("Jawaban: `Monumen Nasional Jakarta`\nkarena ..."))));
        // best reference "Monumen Nasional": P 2/3, R 1 -> F1 0.8
        assertThat(score.items().get(0).prediction()).isEqualTo("Monumen Nasional Jakarta`");
        assertThat(score.items().get(0).individualScores().get("normalized_f1")).isCloseTo(0.8, within(1e-15));
        assertThat(score.metrics().get("f1")).isCloseTo(80.0, within(1e-12));
        assertThat(score.metrics().get("exact_match")).isZero();
    }

    @Test
    void thaiIsWordSegmentedBeforeTokenF1() {
        WordSegmenter thai = new WordSegmenter("th");
        // ICU's Thai dictionary, like newmm's, keeps ประเทศไทย (Thailand) as one word
        assertThat(String.join("|", thai.segments("ฉันรักประเทศไทย"))).isEqualTo("ฉัน|รัก|ประเทศไทย");
        assertThat(String.join("|", thai.segments("แมวกินปลา"))).isEqualTo("แมว|กิน|ปลา");
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", "t1");
        row.putArray("label").add("แมวกินปลา");
        row.putArray("prompts").addObject().put("q", "?");
        TaskScore score = new SquadMetric("คำตอบ:", "th").score(List.of(
                new ItemResponse(EvalItem.of(row, "test"), List.of("คำตอบ: กินปลา"))));
        // [กิน, ปลา] vs [แมว, กิน, ปลา]: P 1, R 2/3 -> F1 0.8; unsegmented it would be 0
        assertThat(score.items().get(0).individualScores().get("normalized_f1")).isCloseTo(0.8, within(1e-15));
    }

    @Test
    void rougeLByHand() {
        RougeTokenizer tokenizer = new RougeTokenizer("id");
        List<String> reference = tokenizer.tokenize("Polisi menangkap dua pencuri di Jakarta.");
        List<String> prediction = tokenizer.tokenize("Dua pencuri ditangkap polisi, di Jakarta!");
        assertThat(reference).containsExactly("polisi", "menangkap", "dua", "pencuri", "di", "jakarta");
        assertThat(prediction).containsExactly("dua", "pencuri", "ditangkap", "polisi", "di", "jakarta");
        // LCS = dua pencuri di jakarta = 4; P = R = 4/6
        assertThat(RougeL.score(reference, prediction)[2]).isCloseTo(4.0 / 6, within(1e-15));
        assertThat(RougeL.score(reference, List.of())[2]).isZero();
    }

    @Test
    void rougeTokenizerSplitsLettersFromDigitsAndIdeographs() {
        RougeTokenizer tokenizer = new RougeTokenizer("vi");
        assertThat(tokenizer.tokenize("Năm 2024 có COVID19 và 北京")).containsExactly("năm", "2024", "có", "covid", "19", "và", "北", "京");
        // Tamil vowel signs (combining marks) stay with their letters
        assertThat(new RougeTokenizer("ta").tokenize("தமிழ் மொழி")).containsExactly("தமிழ்", "மொழி");
    }

    @Test
    void thaiRougeKeepsSpaceTokensAsNewmmDoes() {
        RougeTokenizer tokenizer = new RougeTokenizer("th");
        assertThat(tokenizer.tokenize("ฉันรักประเทศไทย มาก")).containsExactly("ฉัน", "รัก", "ประเทศไทย", " ", "มาก");
    }

    @Test
    void burmeseSyllablesByHand() {
        // မြန်မာ (Myanmar): မ+ြ, န+်, မ+ာ -> the asat cluster "န်" (2 code points) joins the one before: မြန် | မာ
        assertThat(BurmeseSyllables.split("မြန်မာ")).containsExactly("မြန်", "မာ");
        // spaces are removed before segmenting: "မြန် မာ" gives the same syllables
        assertThat(new RougeTokenizer("my").tokenize("မြန် မာ။")).containsExactly("မြန်", "မာ");
        // a virama (U+1039) glues stacked consonants: သ္မ stays one token with what it stacks on
        assertThat(BurmeseSyllables.split("ဗုဒ္ဓ")).containsExactly("ဗု", "ဒ္ဓ");
    }

    /**
     * chrF values published in sacreBLEU's own test suite (test/test_chrf.py, test_cases_effective_order: char_order
     * 6, word_order 0, beta 3, sacreBLEU < 2.0 effective-order mode, which is also 2.x's default).
     */
    @Test
    void chrfMatchesSacrebleuPublishedValues() {
        ChrF chrf = new ChrF(6, 0, 3);
        assertThat(chrf.score(List.of("a"), List.of("a"))).isCloseTo(100.0, within(1e-4));
        assertThat(chrf.score(List.of(""), List.of("reference"))).isCloseTo(0.0, within(1e-4));
        assertThat(chrf.score(List.of("a b c"), List.of("a b c"))).isCloseTo(100.0, within(1e-4));
        assertThat(chrf.score(List.of("a b c"), List.of("abc"))).isCloseTo(100.0, within(1e-4));
        assertThat(chrf.score(List.of(""), List.of("c"))).isCloseTo(0.0, within(1e-4));
        assertThat(chrf.score(List.of("a", "b"), List.of("a", "c"))).isCloseTo(50.0, within(1e-4));
        assertThat(chrf.score(List.of("aa"), List.of("ab"))).isCloseTo(25.0, within(1e-4));
    }

    @Test
    void chrfPlusPlusByHand() {
        // hyp "a b" vs ref "a c": char 1-grams P=R=1/2, char 2-grams P=R=0, word 1-grams P=R=1/2, word 2-grams 0;
        // four effective orders: avg P = avg R = 1/4 -> F2 = 5PR/(4P+R) = 1/4
        assertThat(ChrF.corpusScore(List.of("a b"), List.of("a c"))).isCloseTo(25.0, within(1e-12));
        assertThat(ChrF.words("(hi) there, you")).containsExactly("(hi", ")", "there", ",", "you");
    }
}
