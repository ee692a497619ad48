package dev.kopi.eval.fertility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.junit.jupiter.api.Test;

import dev.kopi.testkit.Fixtures;
import dev.kopi.tokenizer.Tokenizer;
import dev.kopi.tokenizer.Tokenizers;

class FertilityTest {
    static final List<Fertility.Corpus> CORPORA = List.of(
            new Fertility.Corpus("id", "Saya suka minum kopi di pagi hari.\nHarga beras naik lagi."),
            new Fertility.Corpus("th", "แมวกินปลา\nฉันรักประเทศไทย"),
            new Fertility.Corpus("my", "မြန်မာနိုင်ငံ"),
            new Fertility.Corpus("ta", "தமிழ் மொழி மிகவும் பழமையானது"));

    @Test
    void wordsAndCharactersByHand() {
        assertThat(Fertility.words("id", "Saya suka minum kopi di pagi hari.")).isEqualTo(7);
        assertThat(Fertility.words("th", "แมวกินปลา")).isEqualTo(3);
        assertThat(Fertility.characters("แมวกินปลา")).isEqualTo(9);
        assertThat(Fertility.words("ta", "தமிழ் மொழி மிகவும் பழமையானது")).isEqualTo(4);
        assertThat(Fertility.characters("a b\tc")).isEqualTo(3);
    }

    @Test
    void measuresQwen3Gemma3AndLlama3() {
        Map<String, Tokenizer> loaded = new LinkedHashMap<>();
        loaded.put("qwen3", Tokenizers.load(Fixtures.qwen3Tokenizer()));
        loaded.put("gemma3", Tokenizers.load(Fixtures.gemma3Tokenizer()));
        loaded.put("llama3", Tokenizers.load(Fixtures.llama3Tokenizer()));
        Map<String, ToIntFunction<String>> counters = new LinkedHashMap<>();
        loaded.forEach((name, tokenizer) -> counters.put(name, text -> tokenizer.encode(text, false).length));
        List<Fertility.Cell> cells = Fertility.measure(counters, CORPORA);
        assertThat(cells).hasSize(12);
        Fertility.Cell thaiQwen = cells.stream().filter(c -> c.language().equals("th") && c.tokenizer().equals("qwen3")).findFirst().orElseThrow();
        Tokenizer qwen = loaded.get("qwen3");
        assertThat(thaiQwen.tokens()).isEqualTo(qwen.encode("แมวกินปลา", false).length + qwen.encode("ฉันรักประเทศไทย", false).length);
        assertThat(thaiQwen.words()).isEqualTo(6);
        assertThat(thaiQwen.tokensPerWord()).isEqualTo((double) thaiQwen.tokens() / 6);
        String table = Fertility.table(cells);
        System.out.println(table);
        assertThat(table).contains("qwen3 tok/word tok/char").contains("\nmy ");
        assertThat(Fertility.html(cells)).contains("<svg").contains("th: tokens per word");
    }
}
