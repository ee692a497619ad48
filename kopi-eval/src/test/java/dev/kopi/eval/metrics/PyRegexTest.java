package dev.kopi.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kopi.eval.config.EvalConfigException;

/**
 * Python {@code re} semantics. Expected values were produced by CPython 3.11.7's {@code re} module on this machine,
 * e.g. {@code python3 -c 'import re; print(re.findall(r"\w+", "தமிழ் நாடு"))'}; the command of each case is in its
 * comment.
 */
class PyRegexTest {
    static List<String> findAll(String regex, String text, boolean ignoreCase, boolean multiline) {
        List<String> found = new ArrayList<>();
        Matcher m = PyRegex.compile(regex, ignoreCase, multiline).matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void wordCharactersExcludeCombiningMarksAsInPython() {
        // re.findall(r"\w+", "தமிழ் நாடு") -> ['தம', 'ழ', 'ந', 'ட']
        assertThat(findAll("\\w+", "தமிழ் நாடு", false, false)).containsExactly("தம", "ழ", "ந", "ட");
        // re.findall(r"\w+", "ภาษาไทย ดี") -> ['ภาษาไทย', 'ด']
        assertThat(findAll("\\w+", "ภาษาไทย ดี", false, false)).containsExactly("ภาษาไทย", "ด");
        // re.findall(r"\w+", "well-known co_op 3½ Ⅻ") -> ['well', 'known', 'co_op', '3½', 'Ⅻ']
        assertThat(findAll("\\w+", "well-known co_op 3½ Ⅻ", false, false)).containsExactly("well", "known", "co_op", "3½", "Ⅻ");
    }

    @Test
    void wordBoundariesFollowPythonsWordClass() {
        // bool(re.search(r"\bkopi\b", "Saya suka KOPI!", re.I)) -> True; ... "kopiah" -> False
        assertThat(PyRegex.compile("\\bkopi\\b", true, false).matcher("Saya suka KOPI!").find()).isTrue();
        assertThat(PyRegex.compile("\\bkopi\\b", true, false).matcher("kopiah").find()).isFalse();
        // bool(re.search(r"\bதமிழ்\b", "தமிழ்நாடு")) -> True (the virama is no word character)
        assertThat(PyRegex.compile("\\bதமிழ்\\b", false, false).matcher("தமிழ்நாடு").find()).isTrue();
        // bool(re.search(r"\bதமிழ\b", "தமிழ் நாடு")) -> True
        assertThat(PyRegex.compile("\\bதமிழ\\b", false, false).matcher("தமிழ் நாடு").find()).isTrue();
    }

    @Test
    void classesSplitsAndBraces() {
        // re.findall(r"\bSECTION\s+[\d|\w]+\b", "SECTION 1 text SECTION X SECTION\n2 SECTIONS 3")
        //   -> ['SECTION 1', 'SECTION X', 'SECTION\n2']
        assertThat(findAll("\\bSECTION\\s+[\\d|\\w]+\\b", "SECTION 1 text SECTION X SECTION\n2 SECTIONS 3", false, false))
                .containsExactly("SECTION 1", "SECTION X", "SECTION\n2");
        // re.split(r"\s?\*\*\*\s?", "a *** b\n***\n\n*** c") -> ['a', 'b', '', 'c']
        assertThat(PyRegex.compile("\\s?\\*\\*\\*\\s?", false, false).split("a *** b\n***\n\n*** c", -1))
                .containsExactly("a", "b", "", "c");
        // re.findall(r"a{", "a{b") -> ['a{'];  re.findall(r"x{,2}", "xxx") -> ['xx', 'x', '']
        assertThat(findAll("a{", "a{b", false, false)).containsExactly("a{");
        assertThat(findAll("x{,2}", "xxx", false, false)).containsExactly("xx", "x", "");
        // re.findall(r"\[.*?\]", "[name] [ ] [] [[x]] [a\nb]") -> ['[name]', '[ ]', '[]', '[[x]']
        assertThat(findAll("\\[.*?\\]", "[name] [ ] [] [[x]] [a\nb]", false, false)).containsExactly("[name]", "[ ]", "[]", "[[x]");
    }

    @Test
    void multilineBulletsAndHighlights() {
        String text = "* one\n*two\n  * **three**\n* \n-  four\n- five";
        // re.findall(r"^\s*\* \*?\*?[^\*\n\s].*$", text, flags=re.M) -> ['* one', '  * **three**']
        assertThat(findAll("^\\s*\\* \\*?\\*?[^\\*\\n\\s].*$", text, false, true)).containsExactly("* one", "  * **three**");
        // re.findall(r"^\s*- \*?\*?[^\*\n\s].*$", text, flags=re.M) -> ['- five']
        assertThat(findAll("^\\s*- \\*?\\*?[^\\*\\n\\s].*$", text, false, true)).containsExactly("- five");
        // re.findall(r"\*[^\n\*]*\*", "*a* **b** * * ***c***") -> ['*a*', '**', '**', '* *', '**', '*c*', '**']
        assertThat(findAll("\\*[^\\n\\*]*\\*", "*a* **b** * * ***c***", false, false))
                .containsExactly("*a*", "**", "**", "* *", "**", "*c*", "**");
    }

    @Test
    void namedGroupsAreTranslatedAndBadPatternsNamed() {
        Pattern p = PyRegex.compile("(?P<w>ab)(?P=w)", false, false);
        assertThat(p.matcher("abab").matches()).isTrue();
        assertThatThrownBy(() -> PyRegex.compile("(unclosed", false, false))
                .isInstanceOf(EvalConfigException.class).hasMessageContaining("'(unclosed'");
    }
}
