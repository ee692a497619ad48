package dev.kopi.eval.metrics.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LanguageIdentifierTest {
    private static final LanguageIdentifier ID = LanguageIdentifier.shared();

    @Test
    void scriptsOfOneLanguageDecideByLetterCount() {
        assertThat(ID.identify("ภาษาไทย is Thai")).contains("th");  // 7 Thai letters against 6 Latin
        assertThat(ID.identify("မြန်မာစာ")).contains("my");
        assertThat(ID.identify("ភាសាខ្មែរ")).contains("km");
        assertThat(ID.identify("ພາສາລາວ")).contains("lo");
        assertThat(ID.identify("தமிழ் மொழி")).contains("ta");
        assertThat(LanguageIdentifier.dominantScript("Thai ภาษ")).isEqualTo(UnicodeScript.LATIN);
        assertThat(ID.identify("1234 !? ...")).isEmpty();
        assertThat(ID.identify("")).isEmpty();
    }

    @Test
    void latinScriptLanguagesGoToLingua() {
        assertThat(ID.identify("Saya sangat suka minum kopi setiap pagi karena rasanya enak dan membuat saya bersemangat."))
                .hasValueSatisfying(code -> assertThat(code).isIn("id", "ms"));
        assertThat(ID.identify("Tôi rất thích uống cà phê mỗi buổi sáng vì nó rất ngon.")).contains("vi");
        assertThat(ID.identify("Gustung-gusto kong uminom ng kape tuwing umaga dahil masarap ito.")).contains("tl");
        assertThat(ID.identify("I really like drinking coffee every morning because it tastes good.")).contains("en");
        assertThat(ID.isOneOf("I really like drinking coffee every morning.", Set.of("id", "ms"))).isFalse();
    }

    @Test
    void knowsWhichLanguagesItCanName() {
        for (String code : new String[] {"en", "id", "ms", "vi", "tl", "th", "ta", "my", "km", "lo", "zh"}) {
            assertThat(ID.canIdentify(code)).as(code).isTrue();
        }
        assertThat(ID.canIdentify("jv")).isFalse();
        assertThat(ID.canIdentify("su")).isFalse();
    }
}
