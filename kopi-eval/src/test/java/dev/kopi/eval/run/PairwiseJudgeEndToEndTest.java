package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kopi.eval.backend.OpenAiBackend;
import dev.kopi.eval.data.JsonLines;
import dev.kopi.eval.run.MockChatServer.Reply;

/**
 * MT-Bench's pairwise judge (SEA-HELM's PairwiseLLMJudgeMetric) through the runner, against a scripted model and a
 * scripted judge. The judge's verdict for each question is fixed by the test (see {@link #verdict}); the outcomes
 * and scores below are worked out by hand from SEA-HELM's rules (position swap, [[A]]/[[B]]/[[C]], ties when the
 * two orders disagree).
 */
class PairwiseJudgeEndToEndTest {
    static final String CONFIG = """
            mt-bench:
              name: mt-bench
              competency: multi-turn
              dataloader_class: SeaHelmLocalPairwiseDataloader
              metric_class: PairwiseLLMJudgeMetric
              metric: weighted_win_rate
              use_judges: true
              judge:
                judge_generation_kwargs:
                  temperature: 0.6
                  max_tokens: 2048
                judge_prompts:
                  without-reference:
                    - system_prompt: "Judge. Say {A_wins}, {B_wins} or {Tie}."
                      prompt_template: "Q: {question_1}|A: {answer_a_1}|B: {answer_b_1}"
                    - system_prompt: "Judge turn two."
                      prompt_template: "Q1: {question_1}|A1: {answer_a_1}|Q2: {question_2}|A2: {answer_a_2}|B1: {answer_b_1}|B2: {answer_b_2}"
                  with-reference:
                    - system_prompt: "Judge with reference."
                      prompt_template: "R: {ref_answer_1}|Q: {question_1}|A: {answer_a_1}|B: {answer_b_1}"
                    - system_prompt: "Judge turn two with reference."
                      prompt_template: "R1: {ref_answer_1}|R2: {ref_answer_2}|A1: {answer_a_1}|A2: {answer_a_2}|B1: {answer_b_1}|B2: {answer_b_2}"
              baseline_model: gpt-4.1-2025-04-14
              ties_allowed: true
              judgement_labels:
                "A_wins": "[[A]]"
                "B_wins": "[[B]]"
                "Tie": "[[C]]"
              categories_with_reference:
                - math
              languages:
                id:
                  filepath: data/mt_bench_id.jsonl
                  max_tokens: 64
                  prompt_template:
                    preamble: ""
                    task_template: "{text}"
                    answer_template: ""
                    answer_tag: ""
            """;

    static final String ROWS = """
            {"question_id": "q1", "prompts": [{"text": "<<q1a>> Tulis puisi"}, {"text": "<<q1b>> Lebih pendek"}], "metadata": {"category": "writing"}, "baselines": {"gpt-4.1-2025-04-14": ["<<b1a>>", "<<b1b>>"]}, "references": [null, null]}
            {"question_id": "q2", "prompts": [{"text": "<<q2a>> 2+2?"}, {"text": "<<q2b>> 3+3?"}], "metadata": {"category": "math"}, "baselines": {"gpt-4.1-2025-04-14": ["<<b2a>>", "<<b2b>>"]}, "references": ["<<r2a>>", "<<r2b>>"]}
            """;

    /**
     * The judge's verdict as shown, by item, turn and order. "Before" puts the baseline first (assistant A).
     * q1 turn 1: before [[B]] (model wins), after [[A]] (model wins) -> win 1
     * q1 turn 2: before [[A]] (baseline wins), after [[A]] (model wins) -> orders disagree -> tie 0.5
     * q2 turn 1: before [[C]] -> the first is a tie -> tie 0.5 (after names two labels: an error)
     * q2 turn 2: neither verdict names a label -> error, error -> error 0
     * writing (1 + 0.5)/2 = 0.75, math (0.5 + 0)/2 = 0.25 -> weighted win rate 50; win rate 2/4 = 0.5
     */
    static String verdict(String prompt) {
        boolean baselineFirst = prompt.indexOf("<<b") < prompt.indexOf("<<m");
        boolean q1 = prompt.contains("<<m1a>>");
        boolean secondTurn = prompt.contains("<<m1b>>") || prompt.contains("<<m2b>>");
        if (q1) {
            if (!secondTurn) {
                return baselineFirst ? "B is better. [[B]]" : "A is better. [[A]]";
            }
            return "[[A]]";
        }
        if (!secondTurn) {
            return baselineFirst ? "Equal. [[C]]" : "[[A]] or maybe [[B]]";
        }
        return "I cannot decide.";
    }

    @Test
    void winRateWithPositionSwapAndResumeWithoutAskingAgain(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        Files.createDirectories(tasks.resolve("data"));
        Files.writeString(tasks.resolve("config.yaml"), CONFIG);
        Files.writeString(tasks.resolve("data/mt_bench_id.jsonl"), ROWS);
        try (MockChatServer model = new MockChatServer(body -> {
                    String user = MockChatServer.lastUser(body);
                    return Reply.ok("<<m" + user.substring(3, 5) + ">>");
                }, 0);
                MockChatServer judgeServer = new MockChatServer(body -> Reply.ok(verdict(MockChatServer.lastUser(body))), 0);
                OpenAiBackend backend = new OpenAiBackend(OpenAiBackend.Settings.of(model.baseUrl(), null, "org/model"));
                OpenAiBackend judge = new OpenAiBackend(OpenAiBackend.Settings.of(judgeServer.baseUrl(), null, "judge").withConcurrency(3))) {
            EvalOptions options = new EvalOptions(tasks, null, List.of("mt-bench"), List.of(), 1, 0, false, null, 0, 0,
                    tmp.resolve("out"), null, judge, null, null);
            EvalRunner.Result result = new EvalRunner(options, backend).run();
            var task = result.scores().languages().get("id").competencies().get("multi-turn").tasks().get("mt-bench");
            // aggregation reads one value per turn: 1, 0.5, 0.5, 0 -> 50
            assertThat(task.score().mean()).isCloseTo(50, within(1e-9));
            assertThat(judgeServer.requests).hasSize(8);

            JsonNode results = JsonLines.JSON.readTree(tmp.resolve("out/run_0/results.json").toFile()).path("id").path("multi-turn").path("mt-bench");
            assertThat(results.path("weighted_win_rate").asDouble()).isCloseTo(50, within(1e-12));
            assertThat(results.path("win_rate").asDouble()).isCloseTo(0.5, within(1e-12));
            assertThat(results.path("category:writing").asDouble()).isCloseTo(0.75, within(1e-12));
            assertThat(results.path("category:math").asDouble()).isCloseTo(0.25, within(1e-12));
            List<JsonNode> rows = JsonLines.read(tmp.resolve("out/run_0/inferences/id/mt-bench/model_mt-bench_id.jsonl")).stream()
                    .map(JsonNode.class::cast).toList();
            assertThat(rows.get(0).path("individual_scores").path("weighted_win_rate").toString()).isEqualTo("[1.0,0.5]");
            assertThat(rows.get(1).path("individual_scores").path("weighted_win_rate").toString()).isEqualTo("[0.5,0.0]");

            // the prompts: labels in the system prompt, reference answers for math, the baseline as A when it goes first
            JsonNode q1First = judgeServer.requests.stream()
                    .filter(r -> MockChatServer.lastUser(r).startsWith("Q: <<q1a>>") && MockChatServer.lastUser(r).contains("A: <<b1a>>"))
                    .findFirst().orElseThrow();
            assertThat(q1First.path("messages").get(0).path("content").asText()).isEqualTo("Judge. Say [[A]], [[B]] or [[C]].");
            assertThat(MockChatServer.lastUser(q1First)).isEqualTo("Q: <<q1a>> Tulis puisi|A: <<b1a>>|B: <<m1a>>");
            assertThat(q1First.path("temperature").asDouble()).isEqualTo(0.6);
            assertThat(q1First.path("max_tokens").asInt()).isEqualTo(2048);
            assertThat(judgeServer.requests.stream().map(MockChatServer::lastUser))
                    .contains("R1: <<r2a>>|R2: <<r2b>>|A1: <<m2a>>|A2: <<m2b>>|B1: <<b2a>>|B2: <<b2b>>");

            // a second run over the same folder reuses every verdict from the judgements log
            new EvalRunner(options, backend).run();
            assertThat(judgeServer.requests).hasSize(8);
            assertThat(Files.readAllLines(tmp.resolve("out/run_0/judgements/id/mt-bench.jsonl"))).hasSize(8);
        }
    }
}
