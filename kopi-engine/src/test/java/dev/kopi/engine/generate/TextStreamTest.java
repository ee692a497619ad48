package dev.kopi.engine.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextStreamTest {

    @Test
    void stopStringAcrossPiecesIsCutAndNeverShown() {
        StopStrings stops = new StopStrings(List.of("<|user|>", "STOP"));
        StringBuilder shown = new StringBuilder();
        for (String piece : new String[] {"Hello wor", "ld <|us", "er|> more"}) {
            String out = stops.feed(piece);
            assertThat(out).doesNotContain("<");
            shown.append(out);
        }
        assertThat(stops.stopped()).isTrue();
        assertThat(shown.toString()).isEqualTo("Hello world ");
        assertThat(stops.feed("after")).isEmpty();
    }

    @Test
    void heldBackTextIsReleasedWhenItIsNotAStop() {
        StopStrings stops = new StopStrings(List.of("STOP"));
        assertThat(stops.feed("go ST")).isEqualTo("go ");
        assertThat(stops.feed("ART")).isEqualTo("START");
        assertThat(stops.feed("ST")).isEmpty();
        assertThat(stops.flush()).isEqualTo("ST");
        assertThat(stops.stopped()).isFalse();
    }

    @Test
    void earliestStopWins() {
        StopStrings stops = new StopStrings(List.of("bc", "ab"));
        assertThat(stops.feed("xabc")).isEqualTo("x");
    }

    @Test
    void reasoningIsSeparatedFromContentWithTagsSplitAcrossPieces() {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        ReasoningSplitter splitter = new ReasoningSplitter(sink(reasoning, content), false);
        for (String piece : new String[] {"<th", "ink>\nLet me", " think.</thi", "nk>\n\n", "The answer", " is 4."}) {
            splitter.feed(piece);
        }
        splitter.finish();
        assertThat(reasoning.toString()).isEqualTo("\nLet me think.");
        assertThat(content.toString()).isEqualTo("The answer is 4.");
    }

    @Test
    void withoutAThinkBlockEverythingIsContent() {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        ReasoningSplitter splitter = new ReasoningSplitter(sink(reasoning, content), false);
        splitter.feed("<t");
        splitter.feed("able> is a tag; </think> is text here");
        splitter.finish();
        assertThat(reasoning.toString()).isEmpty();
        assertThat(content.toString()).isEqualTo("<table> is a tag; </think> is text here");
    }

    @Test
    void canStartInsideTheReasoningBlock() {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        ReasoningSplitter splitter = new ReasoningSplitter(sink(reasoning, content), true);
        splitter.feed("hmm</think>\n\nyes");
        splitter.finish();
        assertThat(reasoning.toString()).isEqualTo("hmm");
        assertThat(content.toString()).isEqualTo("yes");
    }

    @Test
    void unfinishedReasoningStaysReasoning() {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        ReasoningSplitter splitter = new ReasoningSplitter(sink(reasoning, content), false);
        splitter.feed("<think>still going </thi");
        splitter.finish();
        assertThat(reasoning.toString()).isEqualTo("still going </thi");
        assertThat(content.toString()).isEmpty();
    }

    static ReasoningSplitter.Sink sink(StringBuilder reasoning, StringBuilder content) {
        return new ReasoningSplitter.Sink() {
            @Override
            public void reasoning(String text) {
                reasoning.append(text);
            }

            @Override
            public void content(String text) {
                content.append(text);
            }
        };
    }
}
