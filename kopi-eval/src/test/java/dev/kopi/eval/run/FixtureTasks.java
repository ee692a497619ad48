package dev.kopi.eval.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.run.MockChatServer.Reply;

/**
 * A small task tree in SEA-HELM's schema, written by the tests (no SEA-HELM file is copied): sentiment in id, th,
 * my, vi; extractive QA in id (one two-turn item); summarisation in th and my; two translation directions in id
 * sharing the aggregation group {@code translations}. Each item's prompt carries a marker ({@code <<id>>}) that the
 * mock endpoint answers by.
 */
final class FixtureTasks {
    private FixtureTasks() {}

    static final String SENTIMENT = """
            sentiment:
              metadata:
                version: 1
              name: sentiment_analysis
              competency: nlu
              dataloader_class: SeaHelmLocalDataloader
              metric_class: F1AccMetric
              metric: normalized_accuracy
              fewshot_num_examples:
                instruct: 0
                base: 5
              languages:
                id:
                  filepath: data/sentiment_id.jsonl
                  example_filepath: data/sentiment_id_examples.jsonl
                  max_tokens: 32
                  prompt_template:
                    preamble: |-
                      Apa sentimen dari kalimat berikut ini? Jawablah dengan format "{answer_tag} ANSWER".
                    task_template: |-
                      Kalimat:
                      ```
                      {text}
                      ```
                    answer_template: |-
                      {answer_tag} {label}
                    answer_tag: "Jawaban:"
                th:
                  filepath: data/sentiment_th.jsonl
                  max_tokens: ${sentiment.languages.id.max_tokens}
                  prompt_template:
                    preamble: |-
                      ประโยคดังต่อไปนี้มีความรู้สึกอย่างไร? "{answer_tag} ANSWER"
                    task_template: |-
                      ประโยค: {text}
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "คำตอบ:"
                my:
                  filepath: data/sentiment_my.jsonl
                  max_tokens: 32
                  prompt_template:
                    preamble: "အောက်ပါစာကြောင်း၏ ခံစားချက်ကား အဘယ်နည်း။ \\"{answer_tag} ANSWER\\""
                    task_template: "စာကြောင်း: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "အဖြေ-"
                vi:
                  filepath: data/sentiment_vi.jsonl
                  max_tokens: 32
                  prompt_template:
                    preamble: "Sắc thái của câu sau đây là gì? \\"{answer_tag} ANSWER\\""
                    task_template: "Câu văn: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "Câu trả lời:"
            """;

    static final String QA = """
            qa:
              name: question_answering
              competency: ${sentiment.competency}
              metric_class: QuestionAnsweringMetric
              metric: normalized_f1
              languages:
                id:
                  filepath: data/qa_id.jsonl
                  max_tokens: 64
                  prompt_template:
                    preamble: "Jawablah pertanyaan berikut. Format: \\"{answer_tag} ANSWER\\""
                    task_template: "Konteks: {context}\\nPertanyaan: {question}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "Jawaban:"
            """;

    static final String ABSSUM = """
            abssum:
              name: abstractive_summarization
              competency: nlg
              metric_class: SummarizationMetric
              use_chrf_metric: false
              use_rougeL_metric: true
              metric: normalized_rougel_f1
              languages:
                th:
                  filepath: data/abssum_th.jsonl
                  max_tokens: 128
                  prompt_template:
                    preamble: "สรุปบทความ \\"{answer_tag} SUMMARY\\""
                    task_template: "บทความ: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "บทสรุป:"
                my:
                  filepath: data/abssum_my.jsonl
                  max_tokens: 128
                  prompt_template:
                    preamble: "အကျဉ်းချုပ်ပါ \\"{answer_tag} SUMMARY\\""
                    task_template: "ဆောင်းပါး: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "အဖြေ-"
            """;

    static final String TRANSLATION = """
            translation-en-xx:
              name: machine_translation_from_english
              competency: nlg
              metric_class: TranslationMetric
              use_metricx_metric: true
              use_chrf_metric: false
              metric: normalized_metricx_wmt24_scores
              aggregation_group: translations
              judge:
                judge_prompts: |-
                  source: {source} candidate: {pred} reference: {ref}
              languages:
                id:
                  filepath: data/translation_en_id.jsonl
                  max_tokens: 64
                  prompt_template:
                    preamble: "Terjemahkan teks berikut. \\"{answer_tag} TRANSLATION\\""
                    task_template: "Teks: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "Terjemahan:"
            translation-xx-en:
              name: machine_translation_to_english
              competency: ${translation-en-xx.competency}
              metric_class: ${translation-en-xx.metric_class}
              use_metricx_metric: true
              use_chrf_metric: false
              metric: ${translation-en-xx.metric}
              aggregation_group: translations
              judge: ${translation-en-xx.judge}
              languages:
                id:
                  filepath: data/translation_id_en.jsonl
                  max_tokens: 64
                  prompt_template:
                    preamble: "Translate the following text. \\"{answer_tag} TRANSLATION\\""
                    task_template: "Text: {text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "Translation:"
            """;

    static final String SUITES = """
            fixture:
              id: ["sentiment", "qa", "translations"]
              th: ["sentiment", "abssum"]
              my: ["sentiment", "abssum"]
              vi: ["sentiment"]
            """;

    /** The model's scripted answers, keyed by item marker. */
    static final Map<String, Reply> ANSWERS = new LinkedHashMap<>();

    /** MetricX's scripted scores, keyed by candidate text. */
    static final Map<String, String> METRICX = new LinkedHashMap<>();

    static {
        // id sentiment: Positif 2/2, Negatif 1/2, Netral 0/2 -> balanced accuracy 0.5 -> (0.5 - 1/3)/(2/3) = 25
        ANSWERS.put("<<s-id-1>>", new Reply(200, "<think>Jawaban: Negatif?</think>Jawaban: Positif", null));
        ANSWERS.put("<<s-id-2>>", Reply.ok("Jawaban: Negatif"));
        ANSWERS.put("<<s-id-3>>", Reply.ok("Jawaban: Positif"));
        ANSWERS.put("<<s-id-4>>", new Reply(200, "Jawaban: positif", "Kalimat ini positif."));
        ANSWERS.put("<<s-id-5>>", Reply.ok("Jawaban: Netral"));
        ANSWERS.put("<<s-id-6>>", Reply.ok("Saya tidak tahu"));
        // id qa: F1 1 and 0.5 ([merapi, jawa] vs [gunung, merapi]) -> 75
        ANSWERS.put("<<qa-id-1>>", Reply.ok("Jawaban: Jakarta"));
        ANSWERS.put("<<qa-id-2>>", Reply.ok("Jawaban: Merapi Jawa"));
        ANSWERS.put("<<qa-id-2b>>", Reply.ok("Jawaban: Yogyakarta"));
        // id translations: en->id MetricX 0 and 5 -> 100, 80 -> 90; id->en 10 and 30 -> 60, 0 -> 30; group 60
        ANSWERS.put("<<t-en-1>>", Reply.ok("Terjemahan: Saya suka kopi."));
        ANSWERS.put("<<t-en-2>>", Reply.ok("Terjemahan: Dia pergi ke pasar."));
        ANSWERS.put("<<t-id-1>>", Reply.ok("Translation: I like coffee."));
        ANSWERS.put("<<t-id-2>>", Reply.ok("Translation: Nonsense."));
        METRICX.put("Saya suka kopi.", "0");
        METRICX.put("Dia pergi ke pasar.", "5.0");
        METRICX.put("I like coffee.", "10");
        METRICX.put("Nonsense.", "30");
        // th sentiment: แง่บวก 2/2, แง่ลบ 1/2 -> 0.75 -> 50
        ANSWERS.put("<<s-th-1>>", Reply.ok("คำตอบ: แง่บวก"));
        ANSWERS.put("<<s-th-2>>", Reply.ok("คำตอบ: แง่ลบ"));
        ANSWERS.put("<<s-th-3>>", Reply.ok("คำตอบ: แง่บวก"));
        ANSWERS.put("<<s-th-4>>", Reply.ok("คำตอบ: แง่บวก"));
        // th abssum: [แมว กิน ข้าว] vs [แมว กิน ปลา] -> F1 2/3; exact -> 1; mean 83.33
        ANSWERS.put("<<a-th-1>>", Reply.ok("บทสรุป: แมวกินข้าว"));
        ANSWERS.put("<<a-th-2>>", Reply.ok("บทสรุป: ฉันรักประเทศไทย"));
        // my sentiment: all correct -> 100
        ANSWERS.put("<<s-my-1>>", Reply.ok("အဖြေ- အပြုသဘော"));
        ANSWERS.put("<<s-my-2>>", Reply.ok("အဖြေ- အပျက်သဘော"));
        ANSWERS.put("<<s-my-3>>", Reply.ok("အဖြေ- အပြုသဘော"));
        ANSWERS.put("<<s-my-4>>", Reply.ok("အဖြေ- အပျက်သဘော"));
        // my abssum: [မြန်] vs [မြန် မာ] -> P 1, R 1/2 -> F1 2/3
        ANSWERS.put("<<a-my-1>>", Reply.ok("အဖြေ- မြန်"));
        // vi sentiment: Tích cực 1/2, Tiêu cực 0/2 -> 0.25, below chance 0.5 -> 0
        ANSWERS.put("<<s-vi-1>>", Reply.ok("Câu trả lời: Tích cực"));
        ANSWERS.put("<<s-vi-2>>", Reply.ok("Câu trả lời: Trung lập"));
        ANSWERS.put("<<s-vi-3>>", Reply.ok("không biết"));
        ANSWERS.put("<<s-vi-4>>", Reply.ok("Câu trả lời: Tích cực"));
    }

    /** Hand-computed expected scores (one run: every bootstrap resample is the same, standard errors are 0). */
    static final double ID_SENTIMENT = 25;
    static final double ID_QA = 75;
    static final double ID_TRANSLATION_EN_XX = 90;
    static final double ID_TRANSLATION_XX_EN = 30;
    static final double ID_TRANSLATIONS = 60;
    static final double ID_NLU = (ID_SENTIMENT + ID_QA) / 2;
    static final double ID = (ID_NLU + ID_TRANSLATIONS) / 2;
    static final double TH_SENTIMENT = 50;
    static final double TH_ABSSUM = (200.0 / 3 + 100) / 2;
    static final double TH = (TH_SENTIMENT + TH_ABSSUM) / 2;
    static final double MY_SENTIMENT = 100;
    static final double MY_ABSSUM = 200.0 / 3;
    static final double MY = (MY_SENTIMENT + MY_ABSSUM) / 2;
    static final double VI = 0;
    static final double SEA = (ID + TH + MY + VI) / 4;

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("nlu/sentiment"));
        Files.createDirectories(dir.resolve("nlu/qa"));
        Files.createDirectories(dir.resolve("nlg/abssum"));
        Files.createDirectories(dir.resolve("nlg/translation"));
        Files.writeString(dir.resolve("nlu/sentiment/config.yaml"), SENTIMENT);
        Files.writeString(dir.resolve("nlu/qa/config.yaml"), QA);
        Files.writeString(dir.resolve("nlg/abssum/config.yaml"), ABSSUM);
        Files.writeString(dir.resolve("nlg/translation/config.yaml"), TRANSLATION);
        Files.writeString(dir.resolve("task_config.yaml"), SUITES);
        Files.writeString(dir.resolve("constants.yaml"), "few_shot_stop_tokens:\n  - \"\\n\\n\"\nbase_models_skip_tasks:\n  - \"qa\"\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        rows(data.resolve("sentiment_id.jsonl"), "s-id", List.of("Positif", "Negatif", "Netral", "Positif", "Negatif", "Netral"));
        rows(data.resolve("sentiment_id_examples.jsonl"), "ex-id", List.of("Positif", "Negatif", "Netral", "Positif", "Negatif", "Netral", "Positif"));
        rows(data.resolve("sentiment_th.jsonl"), "s-th", List.of("แง่บวก", "แง่ลบ", "แง่บวก", "แง่ลบ"));
        rows(data.resolve("sentiment_my.jsonl"), "s-my", List.of("အပြုသဘော", "အပျက်သဘော", "အပြုသဘော", "အပျက်သဘော"));
        rows(data.resolve("sentiment_vi.jsonl"), "s-vi", List.of("Tích cực", "Tiêu cực", "Tích cực", "Tiêu cực"));
        rows(data.resolve("abssum_th.jsonl"), "a-th", List.of("แมวกินปลา", "ฉันรักประเทศไทย"));
        rows(data.resolve("abssum_my.jsonl"), "a-my", List.of("မြန်မာ"));
        rows(data.resolve("translation_en_id.jsonl"), "t-en", List.of("Saya suka kopi.", "Dia pergi ke pasar."));
        rows(data.resolve("translation_id_en.jsonl"), "t-id", List.of("I like coffee.", "He went to the market."));
        StringBuilder qa = new StringBuilder();
        qa.append(qaRow("qa-id-1", List.of("Jakarta"), List.of("<<qa-id-1>> Ibu kota Indonesia?")));
        qa.append(qaRow("qa-id-2", List.of("Gunung Merapi", "Kaliurang"), List.of("<<qa-id-2>> Gunung?", "<<qa-id-2b>> Kota?")));
        Files.writeString(data.resolve("qa_id.jsonl"), qa);
    }

    private static void rows(Path file, String prefix, List<String> labels) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            String id = prefix + "-" + (i + 1);
            ObjectNode row = JsonLines.JSON.createObjectNode();
            row.put("id", id);
            row.put("label", labels.get(i));
            row.putArray("prompts").addObject().put("text", "<<" + id + ">> " + labels.get(i).length());
            row.putObject("metadata").put("source", "fixture");
            out.append(JsonLines.JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(file, out);
    }

    private static String qaRow(String id, List<String> answers, List<String> questions) throws IOException {
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", id);
        ArrayNode label = row.putArray("label");
        answers.forEach(label::add);
        ArrayNode prompts = row.putArray("prompts");
        questions.forEach(q -> prompts.addObject().put("context", "Indonesia").put("question", q));
        return JsonLines.JSON.writeValueAsString(row) + "\n";
    }

    /** The MetricX mock: answers with the scripted score of the candidate in the prompt. */
    static MockChatServer metricx() throws IOException {
        return new MockChatServer(body -> {
            String prompt = MockChatServer.lastUser(body);
            String candidate = prompt.substring(prompt.indexOf("candidate: ") + 11, prompt.indexOf(" reference: "));
            String score = METRICX.get(candidate);
            if (score == null) {
                throw new IllegalStateException("no MetricX score for " + candidate);
            }
            return Reply.ok(score);
        }, 0);
    }
}
