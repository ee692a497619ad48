package dev.kopi.eval.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.backend.ChatMessage;
import dev.kopi.eval.config.LanguageConfig;
import dev.kopi.eval.config.PromptTemplate;
import dev.kopi.eval.data.EvalItem;
import dev.kopi.eval.data.JsonLines;

class PromptBuilderTest {
    static final LanguageConfig LANGUAGE = new LanguageConfig("id", "f", "f", 32,
            new PromptTemplate("Pilih {answer_tag} ANSWER. {{literal}}", "Kalimat: {text}", "{answer_tag} {label}", "Jawaban:"), null);

    static EvalItem item(String id, String label, String... turns) {
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", id);
        row.putArray("label").add(label).add("other");
        var prompts = row.putArray("prompts");
        for (String turn : turns) {
            prompts.addObject().put("text", turn);
        }
        return EvalItem.of(row, "test");
    }

    @Test
    void fiveShotAsMultiTurnForBaseModels() {
        List<EvalItem> examples = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            examples.add(item("e" + i, "L" + i, "contoh " + i));
        }
        List<ChatMessage> conversation = new PromptBuilder(LANGUAGE, examples, "t").conversation(item("x", "y", "soal"), 1, List.of());
        assertThat(conversation).hasSize(11);
        assertThat(conversation.get(0)).isEqualTo(ChatMessage.user("Pilih Jawaban: ANSWER. {literal}\n\nKalimat: contoh 1"));
        assertThat(conversation.get(1)).isEqualTo(ChatMessage.assistant("Jawaban: L1"));
        assertThat(conversation.get(9)).isEqualTo(ChatMessage.assistant("Jawaban: L5"));
        assertThat(conversation.get(10)).isEqualTo(ChatMessage.user("Kalimat: soal"));
    }

    @Test
    void laterTurnsFeedBackEarlierAnswers() {
        PromptBuilder builder = new PromptBuilder(LANGUAGE, List.of(), "t");
        EvalItem item = item("x", "y", "pertama", "kedua");
        List<ChatMessage> second = builder.conversation(item, 2, List.of("jawaban satu"));
        assertThat(second).containsExactly(
                ChatMessage.user("Pilih Jawaban: ANSWER. {literal}\n\nKalimat: pertama"),
                ChatMessage.assistant("jawaban satu"),
                ChatMessage.user("Pilih Jawaban: ANSWER. {literal}\n\nKalimat: kedua"));
        assertThatThrownBy(() -> builder.conversation(item, 3, List.of("a", "b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingTemplateValueNamesTheField() {
        LanguageConfig bad = new LanguageConfig("id", "f", null, 32, new PromptTemplate("", "{question}", "", "J:"), null);
        assertThatThrownBy(() -> new PromptBuilder(bad, List.of(), "task qa (id)").conversation(item("x", "y", "t"), 1, List.of()))
                .hasMessageContaining("task qa (id)").hasMessageContaining("{question}");
    }
}
