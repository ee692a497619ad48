package dev.kopi.tokenizer;

import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingDecoderTest {

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "gemma3"})
    void streamedTextEqualsDecodedTextAndNeverSplitsACharacter(String name) {
        Tokenizer tokenizer = Tokenizers.load(HuggingFaceParityTest.tokenizerJson(name));
        List<String> failures = new ArrayList<>();
        List<String> docs = SeaCorpus.generate(5L, 200_000);
        for (int d = 0; d < docs.size(); d++) {
            int[] ids = tokenizer.encode(docs.get(d));
            for (boolean skip : new boolean[] {false, true}) {
                String whole = tokenizer.decode(ids, skip);
                StreamingDecoder stream = tokenizer.streamingDecoder(skip);
                StringBuilder streamed = new StringBuilder();
                for (int id : ids) {
                    String piece = stream.next(id);
                    if (piece.indexOf('\uFFFD') >= 0 && whole.indexOf('\uFFFD') < 0) {
                        failures.add("doc " + d + ": piece with U+FFFD " + HuggingFaceParityTest.escape(piece));
                    }
                    streamed.append(piece);
                }
                streamed.append(stream.flush());
                if (!streamed.toString().equals(whole)) {
                    failures.add("doc " + d + " skip=" + skip + ": streamed " + HuggingFaceParityTest.escape(streamed.toString()));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void holdsTheBytesOfACharacterUntilItIsComplete() {
        Tokenizer qwen = Tokenizers.load(Fixtures.qwen3Tokenizer());
        String text = "𓀀𓁐 ꧁꧂ 🫨 ᨠᩣ";
        int[] ids = qwen.encode(text);
        StreamingDecoder stream = qwen.streamingDecoder(false);
        StringBuilder out = new StringBuilder();
        int held = 0;
        for (int i = 0; i < ids.length; i++) {
            String piece = stream.next(ids[i]);
            if (qwen.decode(java.util.Arrays.copyOf(ids, i + 1)).endsWith("\uFFFD")) {
                assertThat(piece).as("piece %d", i).isEmpty();
                held++;
            }
            out.append(piece);
        }
        assertThat(held).isGreaterThan(3);
        assertThat(out.toString()).isEqualTo(text);
        assertThat(stream.flush()).isEmpty();
    }

    @Test
    void sentencePieceLeadingSpaceDependsOnWhatCameBefore() {
        Tokenizer gemma = Tokenizers.load(Fixtures.gemma3Tokenizer());
        int[] ids = gemma.encode("Apa kabar? Baik.", false);
        StreamingDecoder stream = gemma.streamingDecoder(false);
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(stream.next(id));
        }
        assertThat(out.append(stream.flush()).toString()).isEqualTo("Apa kabar? Baik.");
        assertThatThrownBy(() -> stream.next(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchEncodingEqualsOneByOne() {
        Tokenizer qwen = Tokenizers.load(Fixtures.qwen3Tokenizer());
        List<String> docs = SeaCorpus.generate(11L, 300_000);
        List<int[]> batch = qwen.encodeBatch(docs, true);
        for (int i = 0; i < docs.size(); i++) {
            assertThat(batch.get(i)).containsExactly(qwen.encode(docs.get(i)));
        }
    }
}
