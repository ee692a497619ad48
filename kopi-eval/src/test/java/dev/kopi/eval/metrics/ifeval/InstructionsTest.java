package dev.kopi.eval.metrics.ifeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.JsonLines;

/**
 * Each SEA-IFEval checker against cases worked out by hand from the checker's definition in SEA-HELM's
 * {@code instruction_checkers.py} (the docstrings and comments there say how each departs from Google's IFEval);
 * the arithmetic of each case is in its comment.
 */
class InstructionsTest {
    private static final Instructions CHECK = new Instructions(LanguageIdentifier.shared());

    static JsonNode args(String json) {
        try {
            return JsonLines.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static boolean follows(String id, String lang, String response, String json) {
        return CHECK.follows(id, lang, response, args(json));
    }

    @Test
    void numberOfWordsCountsPythonWordRuns() {
        String id = "length_constraints:number_words";
        // "Saya suka kopi hitam." -> 4 runs of \w; "well-known" is two words
        assertThat(follows(id, "id", "Saya suka kopi hitam.", "{\"relation\": \"exactly\", \"num_words\": 4}")).isTrue();
        assertThat(follows(id, "id", "Saya suka kopi hitam.", "{\"relation\": \"at least\", \"num_words\": 5.0}")).isFalse();
        assertThat(follows(id, "en", "well-known", "{\"relation\": \"less than\", \"num_words\": 3}")).isTrue();
        assertThat(follows(id, "en", "well-known", "{\"relation\": \"less than\", \"num_words\": 2}")).isFalse();
        assertThatThrownBy(() -> follows(id, "th", "ภาษาไทย", "{\"relation\": \"exactly\", \"num_words\": 1}"))
                .isInstanceOf(EvalConfigException.class);
        assertThatThrownBy(() -> follows(id, "id", "x", "{\"relation\": \"about\", \"num_words\": 1}"))
                .hasMessageContaining("about is not a valid comparison relation");
    }

    @Test
    void sentencesAndParagraphsAreSeparatedByThreeAsterisks() {
        // "*** Satu. *** Dua. ***   ***": outer asterisks stripped, split on *** -> " Satu. ", " Dua. ", "   " -> 2
        assertThat(Instructions.sentences("*** Satu. *** Dua. ***   ***")).isEqualTo(2);
        assertThat(follows("length_constraints:number_sentences", "id", "*** Satu. *** Dua. ***   ***",
                "{\"relation\": \"exactly\", \"num_sentences\": 2}")).isTrue();
        // "P1\n***\nP2 *** P3": three blocks; "***P1***P2***" -> '', P1, P2, '' -> 2 (empty blocks are not counted)
        assertThat(Instructions.paragraphs("P1\n***\nP2 *** P3")).isEqualTo(3);
        assertThat(Instructions.paragraphs("***P1***P2***")).isEqualTo(2);
        assertThat(follows("length_constraints:number_paragraphs", "id", "***P1***P2***", "{\"num_paragraphs\": 2}")).isTrue();
        assertThat(follows("length_constraints:number_paragraphs", "id", "P1\n***\nP2 *** P3", "{\"num_paragraphs\": 2}")).isFalse();
    }

    @Test
    void placeholdersMustHoldSomething() {
        // [name] and [date] count; [ ] is empty
        assertThat(Instructions.placeholders("Dear [name], at [ ] on [date]")).isEqualTo(2);
        assertThat(follows("detectable_content:number_placeholders", "id", "Dear [name], at [ ] on [date]", "{\"num_placeholders\": 2}")).isTrue();
        assertThat(follows("detectable_content:number_placeholders", "id", "Dear [name], at [ ] on [date]", "{\"num_placeholders\": 3}")).isFalse();
    }

    @Test
    void postscriptMarkersPerLanguage() {
        String id = "detectable_content:postscript";
        assertThat(follows(id, "id", "Terima kasih.\nP.S. Sampai jumpa", "{\"postscript_marker\": \"P.S.\"}")).isTrue();
        assertThat(follows(id, "id", "Terima kasih.\np. s. sampai jumpa", "{\"postscript_marker\": \"P.S.\"}")).isTrue();  // case and one space allowed
        assertThat(follows(id, "id", "PS sampai jumpa", "{\"postscript_marker\": \"P.S.\"}")).isFalse();
        assertThat(follows(id, "id", "Halo\nP.S. saja", "{\"postscript_marker\": \"P.P.S.\"}")).isFalse();
        assertThat(follows(id, "th", "สวัสดี\nป.ล. ขอบคุณ", "{\"postscript_marker\": \"ป.ล.\"}")).isTrue();
        assertThat(follows(id, "ta", "வணக்கம்\nபி.கு. நன்றி", "{\"postscript_marker\": \"பி.கு.\"}")).isTrue();
        assertThatThrownBy(() -> follows(id, "id", "x", "{\"postscript_marker\": \"N.B.\"}")).hasMessageContaining("N.B.");
    }

    @Test
    void titlesBulletsSectionsAndHighlights() {
        assertThat(follows("detectable_format:title", "id", "<<Judul>>\nIsi", "{}")).isTrue();
        assertThat(follows("detectable_format:title", "id", "<<  >>\nIsi", "{}")).isFalse();
        assertThat(follows("detectable_format:title", "id", "<<\nJudul>>", "{}")).isFalse();
        // bullets need "* " or "- " then a non-space: "* satu", "* dua", "- tiga" -> 3; "*empat" is no bullet
        String bullets = "* satu\n* dua\n- tiga\n*empat";
        assertThat(follows("detectable_format:number_bullet_lists", "id", bullets, "{\"num_bullets\": 3}")).isTrue();
        assertThat(follows("detectable_format:number_bullet_lists", "id", bullets, "{\"num_bullets\": 4}")).isFalse();
        // "Bagian 1", "Bagian 2"; "Bagian1" lacks the space
        String sections = "Bagian 1\nisi\nBagian 2\nisi\nBagian1";
        assertThat(follows("detectable_format:multiple_sections", "id", sections, "{\"section_title\": \"Bagian\", \"num_sections\": 2}")).isTrue();
        assertThat(follows("detectable_format:multiple_sections", "id", sections, "{\"section_title\": \"Bagian\", \"num_sections\": 3}")).isFalse();
        // "*penting*" (single) and "**tebal**" (double); the "**" pieces are empty -> 2
        assertThat(Instructions.highlights("*penting* dan **tebal**")).isEqualTo(2);
        assertThat(follows("detectable_format:number_highlighted_sections", "id", "*penting* dan **tebal**", "{\"num_highlights\": 2}")).isTrue();
        assertThat(follows("detectable_format:number_highlighted_sections", "id", "*penting* dan **tebal**", "{\"num_highlights\": 3}")).isFalse();
    }

    @Test
    void jsonMustBeTheWholeAnswerInAtMostOneFence() {
        // outcomes of Python's json.loads (CPython 3.11.7) on the unfenced text
        assertThat(Instructions.isJson("```json\n{\"a\": 1}\n```")).isTrue();
        assertThat(Instructions.isJson("```\n[1, 2]\n```")).isTrue();
        assertThat(Instructions.isJson("\"s\"")).isTrue();
        assertThat(Instructions.isJson("NaN")).isTrue();
        assertThat(Instructions.isJson("Here: {\"a\": 1}")).isFalse();
        assertThat(Instructions.isJson("[1, 2] x")).isFalse();
        assertThat(Instructions.isJson("{\"a\":1}{\"b\":2}")).isFalse();
        assertThat(Instructions.isJson("{'a':1}")).isFalse();
        assertThat(Instructions.isJson("01")).isFalse();
        assertThat(Instructions.isJson("")).isFalse();
        assertThat(Instructions.isJson("```json```json\n{}\n```")).isFalse();  // two fences are not removed twice
    }

    @Test
    void constrainedAnswersStartsEndsAndQuotes() {
        String id = "detectable_format:constrained_response";
        assertThat(follows(id, "id", "Menurut saya... Jawaban saya adalah ya.", "{}")).isTrue();
        assertThat(follows(id, "id", "Jawaban saya: ya", "{}")).isFalse();
        assertThat(follows(id, "th", "คำตอบของฉันคือไม่", "{}")).isTrue();
        assertThatThrownBy(() -> follows(id, "zh", "x", "{}")).hasMessageContaining("zh");
        // first word is a prefix test on the stripped, lower-cased answer
        assertThat(follows("startend:first_word", "id", "  Kopi adalah minuman", "{\"first_word\": \"kopi\"}")).isTrue();
        assertThat(follows("startend:first_word", "id", "Kopiah hitam", "{\"first_word\": \"kopi\"}")).isTrue();
        assertThat(follows("startend:first_word", "id", "Teh", "{\"first_word\": \"kopi\"}")).isFalse();
        assertThat(follows("startend:end_checker", "id", "Itu saja. Ada pertanyaan lain?  \n", "{\"end_phrase\": \"ada pertanyaan lain?\"}")).isTrue();
        assertThat(follows("startend:end_checker", "id", "Ada pertanyaan lain? Tidak.", "{\"end_phrase\": \"ada pertanyaan lain?\"}")).isFalse();
        assertThat(Instructions.quoted(" \"Halo\" ")).isTrue();
        assertThat(Instructions.quoted("\"\"")).isFalse();
        assertThat(Instructions.quoted("\" \"")).isFalse();
        assertThat(Instructions.quoted("\"")).isFalse();
        assertThat(Instructions.quoted("Halo")).isFalse();
    }

    @Test
    void keywordsAreWholeWordsIgnoringCaseOnlyInSpacedLatinLanguages() {
        String exist = "keywords:existence";
        assertThat(follows(exist, "id", "Saya suka Kopi dan teh.", "{\"keywords\": [\"kopi\", \"teh\"]}")).isTrue();
        assertThat(follows(exist, "id", "kopiah dan teh", "{\"keywords\": [\"kopi\", \"teh\"]}")).isFalse();
        assertThat(follows(exist, "th", "ชอบกาแฟมาก", "{\"keywords\": [\"กาแฟ\"]}")).isTrue();
        assertThat(follows(exist, "tl", "Masarap ang Kape", "{\"keywords\": [\"kape\"]}")).isFalse();  // tl: case-sensitive
        assertThat(follows(exist, "zh", "nothing", "{\"keywords\": [\"咖啡\"]}")).isTrue();  // SEA-HELM checks nothing there
        String forbidden = "keywords:forbidden_words";
        assertThat(follows(forbidden, "id", "Saya pakai kopiah", "{\"forbidden_words\": [\"kopi\"]}")).isTrue();
        assertThat(follows(forbidden, "id", "Saya suka KOPI", "{\"forbidden_words\": [\"kopi\"]}")).isFalse();
        assertThat(follows(forbidden, "th", "ชอบกาแฟมาก", "{\"forbidden_words\": [\"กาแฟ\"]}")).isFalse();
        // frequency ignores case in both groups: "Kopi, kopi!" -> 2; "Kape kape" in tl -> 2
        assertThat(follows("keywords:frequency", "id", "Kopi, kopi! kopiah", "{\"keyword\": \"kopi\", \"relation\": \"exactly\", \"frequency\": 2}")).isTrue();
        assertThat(follows("keywords:frequency", "tl", "Kape kape", "{\"keyword\": \"kape\", \"relation\": \"at least\", \"frequency\": 2}")).isTrue();
        // "7" occurs in "7" and in "17" -> 2
        assertThat(follows("keywords:number_frequency", "id", "7 hari, 17 jam", "{\"number\": \"7\", \"relation\": \"exactly\", \"frequency\": 2}")).isTrue();
        assertThat(follows("keywords:number_frequency", "id", "7 hari, 17 jam", "{\"number\": \"7\", \"relation\": \"less than\", \"frequency\": 2}")).isFalse();
    }

    @Test
    void repeatedPromptsAndTwoResponses() {
        String repeat = "combination:repeat_prompt";
        assertThat(follows(repeat, "id", "Tulis puisi. Ini puisinya.", "{\"prompt_to_repeat\": \"tulis puisi.\"}")).isTrue();
        assertThat(follows(repeat, "id", "Tulis puisi.  ", "{\"prompt_to_repeat\": \"Tulis puisi.\"}")).isFalse();  // repeated, nothing answered
        assertThat(follows(repeat, "id", "Ini: Tulis puisi.", "{\"prompt_to_repeat\": \"Tulis puisi.\"}")).isFalse();
        assertThat(Instructions.twoResponses("Jawaban A ****** Jawaban B")).isTrue();
        assertThat(Instructions.twoResponses("Jawaban A ****** ...")).isFalse();  // "..." is only punctuation
        assertThat(Instructions.twoResponses("A ****** B ****** C")).isFalse();
    }

    @Test
    void responseLanguageAcceptsMalayForIndonesianOnly() {
        String id = "language:response_language";
        String indonesian = "Saya sangat suka minum kopi setiap pagi karena rasanya enak dan membuat saya bersemangat bekerja.";
        String english = "I really like drinking coffee every morning because it tastes good and keeps me going.";
        assertThat(follows(id, "en", indonesian, "{\"response_language\": \"id\"}")).isTrue();
        assertThat(follows(id, "id", english, "{\"response_language\": \"id\"}")).isFalse();
        assertThat(follows(id, "id", english, "{\"response_language\": \"en\"}")).isTrue();
        assertThat(follows(id, "id", "สวัสดีครับ\nยินดีที่ได้รู้จัก", "{\"response_language\": \"th\"}")).isTrue();
    }

    @Test
    void unknownInstructionsAndMissingArgumentsAreNamed() {
        assertThatThrownBy(() -> follows("keywords:letter_frequency", "id", "x", "{}")).hasMessageContaining("keywords:letter_frequency");
        assertThatThrownBy(() -> follows("keywords:existence", "id", "x", "{}")).hasMessageContaining("'keywords'");
        assertThat(Instructions.splitLiteral("a***b******", "***")).containsExactly("a", "b", "", "");
    }
}
