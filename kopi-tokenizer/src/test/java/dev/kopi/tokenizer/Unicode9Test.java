package dev.kopi.tokenizer;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.util.VersionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Unicode9Test {

    /** ICU's character ages and normalization data give the same table as kopi's hand-kept one. */
    @Test
    void tableListsTheNonInertCharactersAssignedAfterUnicode9() {
        assertThat(VersionInfo.getInstance(UCharacter.getUnicodeVersion().getMajor(), 0, 0))
                .as("ICU's Unicode version should be Java's")
                .isEqualTo(VersionInfo.getInstance(Character.getName(0x1CCD6) != null ? 16 : 0, 0, 0));
        VersionInfo v9 = VersionInfo.getInstance(9, 0, 0);
        List<Normalizer2> forms = List.of(Normalizer2.getNFCInstance(), Normalizer2.getNFDInstance(),
                Normalizer2.getNFKCInstance(), Normalizer2.getNFKDInstance());
        List<Integer> ranges = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int start = -1;
        for (int cp = 0; cp <= 0x110000; cp++) {
            int c = cp;
            boolean hit = cp < 0x110000 && UCharacter.getAge(cp).compareTo(v9) > 0
                    && !forms.stream().allMatch(f -> f.isInert(c));
            if (hit && start < 0) {
                start = cp;
            } else if (!hit && start >= 0) {
                ranges.add(start);
                ranges.add(cp - 1);
                start = -1;
            }
            if (cp < 0x110000 && Unicode9.isNewNonInert(cp) != hit) {
                wrong.add(String.format("U+%04X", cp));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(Unicode9.NEW_NON_INERT).containsExactly(ranges.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void laoPaliViramaStaysWhereItIsAsInHuggingFace() {
        String text = "\u0E9B\u0EBA\u0EC9\u0EBA";
        assertThat(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC)).isNotEqualTo(text);
        assertThat(Unicode9.normalize(text, java.text.Normalizer.Form.NFC)).isEqualTo(text);
        assertThat(Unicode9.normalize("e\u0301\u0EBAa\u0308", java.text.Normalizer.Form.NFC))
                .isEqualTo("\u00E9\u0EBA\u00E4");
    }
}
