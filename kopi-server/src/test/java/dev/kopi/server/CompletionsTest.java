package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopi.engine.generate.GenerationOptions;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.generate.Generator;
import dev.kopi.engine.generate.Session;
import dev.kopi.engine.generate.TextListener;
import dev.kopi.engine.sample.SamplerSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.kopi.server.TestServers.REFERENCE;
import static dev.kopi.server.TestServers.SERVER;
import static dev.kopi.server.TestServers.TOKENIZER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Text completions as vLLM serves them, against the reference model in process: raw continuation, token-id and
 * batched prompts, and log-probabilities (echo included) equal to the log-softmax of the model's own logits.
 */
class CompletionsTest {
    /** Batched and single-sequence logits differ in their last bits (see the engine's BatchGeneratorTest). */
    static final double LOGPROB_TOLERANCE = 1e-3;

    @Test
    void echoedLogprobsAreTheLogSoftmaxOfTheModelsLogits() {
        String prompt = "Selamat pagi, apa khabar";
        int[] promptIds = TOKENIZER.encode(prompt, true);
        GenerationResult greedy = reference(promptIds, 3);
        JsonNode choice = complete(Http.JSON.createObjectNode().put("prompt", prompt).put("max_tokens", 3)
                .put("temperature", 0).put("logprobs", 2).put("echo", true)).get("choices").get(0);

        assertThat(choice.get("text").asText()).isEqualTo(prompt + TOKENIZER.decode(greedy.tokens(), true));
        int[] all = concat(promptIds, greedy.tokens());
        JsonNode logprobs = choice.get("logprobs");
        assertThat(texts(logprobs.get("tokens"))).containsExactlyElementsOf(pieces(all));
        assertThat(logprobs.get("token_logprobs").get(0).isNull()).isTrue();
        assertThat(logprobs.get("top_logprobs").get(0).isNull()).isTrue();
        double[][] expected = logSoftmaxRows(all);
        int offset = 0;
        for (int i = 1; i < all.length; i++) {
            double[] row = expected[i - 1];
            assertThat(logprobs.get("token_logprobs").get(i).asDouble()).as("token " + i)
                    .isCloseTo(row[all[i]], within(LOGPROB_TOLERANCE));
            JsonNode top = logprobs.get("top_logprobs").get(i);
            int[] best = best(row, 2);
            for (int b : best) {
                assertThat(top.get(TOKENIZER.decode(new int[] {b})).asDouble()).isCloseTo(row[b], within(LOGPROB_TOLERANCE));
            }
            assertThat(top.has(TOKENIZER.decode(new int[] {all[i]}))).as("the chosen token is listed").isTrue();
            if (i >= promptIds.length) {
                assertThat(all[i]).as("greedy picks the best").isEqualTo(best[0]);
            }
        }
        for (int i = 0; i < all.length; i++) {
            assertThat(logprobs.get("text_offset").get(i).asInt()).isEqualTo(offset);
            offset += TOKENIZER.decode(new int[] {all[i]}).codePointCount(0, TOKENIZER.decode(new int[] {all[i]}).length());
        }
    }

    @Test
    void maxTokensZeroWithEchoOnlyScoresThePrompt() {
        List<Integer> ids = List.of(9707, 11, 1879, 0, 13);
        ObjectNode request = Http.JSON.createObjectNode().put("max_tokens", 0).put("logprobs", 0).put("echo", true);
        request.putArray("prompt").addAll(ids.stream().map(Http.JSON.getNodeFactory()::numberNode).toList());
        JsonNode json = complete(request);
        JsonNode choice = json.get("choices").get(0);
        int[] prompt = ids.stream().mapToInt(Integer::intValue).toArray();
        assertThat(choice.get("text").asText()).isEqualTo(TOKENIZER.decode(prompt));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(json.get("usage").get("completion_tokens").asInt()).isZero();
        double[][] rows = logSoftmaxRows(prompt);
        for (int i = 1; i < prompt.length; i++) {
            assertThat(choice.get("logprobs").get("token_logprobs").get(i).asDouble())
                    .isCloseTo(rows[i - 1][prompt[i]], within(LOGPROB_TOLERANCE));
            assertThat(choice.get("logprobs").get("top_logprobs").get(i).size()).as("logprobs 0: the chosen token only")
                    .isEqualTo(1);
        }
    }

    @Test
    void aListOfPromptsGetsOneChoiceEachAndTheTextStaysRaw() {
        ObjectNode request = Http.JSON.createObjectNode().put("max_tokens", 5).put("temperature", 0);
        request.putArray("prompt").add("<think>\nHmm").add("Xin chào");
        JsonNode json = complete(request);
        assertThat(json.get("object").asText()).isEqualTo("text_completion");
        assertThat(json.get("id").asText()).startsWith("cmpl-");
        int completionTokens = 0;
        String[] prompts = {"<think>\nHmm", "Xin chào"};
        for (int i = 0; i < prompts.length; i++) {
            JsonNode choice = json.get("choices").get(i);
            assertThat(choice.get("index").asInt()).isEqualTo(i);
            GenerationResult expected = reference(TOKENIZER.encode(prompts[i], true), 5);
            // no reasoning split: the text is what the tokens decode to
            assertThat(choice.get("text").asText()).isEqualTo(TOKENIZER.decode(expected.tokens(), true));
            assertThat(choice.get("logprobs").isNull()).isTrue();
            completionTokens += expected.tokens().length;
        }
        assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(completionTokens);
    }

    @Test
    void streamedCompletionsAddUpToTheWholeOne() {
        ObjectNode request = Http.JSON.createObjectNode().put("prompt", "Pada suatu hari").put("max_tokens", 6)
                .put("temperature", 0.9).put("seed", 11).put("logprobs", 1);
        JsonNode whole = complete(request).get("choices").get(0);
        request.put("stream", true).putObject("stream_options").put("include_usage", true);
        Http.Answer answer = Http.post(SERVER, "/v1/completions", request);
        List<JsonNode> events = answer.events();
        assertThat(events.getLast().asText()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        List<Double> logprobs = new ArrayList<>();
        for (JsonNode event : events.subList(0, events.size() - 2)) {
            JsonNode choice = event.get("choices").get(0);
            text.append(choice.get("text").asText());
            choice.get("logprobs").get("token_logprobs").forEach(l -> logprobs.add(l.asDouble()));
        }
        assertThat(events.get(events.size() - 3).get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(events.get(events.size() - 2).get("usage").get("completion_tokens").asInt()).isEqualTo(6);
        assertThat(text.toString()).isEqualTo(whole.get("text").asText());
        List<Double> wholeLogprobs = new ArrayList<>();
        whole.get("logprobs").get("token_logprobs").forEach(l -> wholeLogprobs.add(l.asDouble()));
        assertThat(logprobs).isEqualTo(wholeLogprobs);
    }

    @Test
    void tokenizeAndDetokenizeAreKopisTokenizer() {
        String text = "สวัสดีครับ Selamat pagi <|im_end|> 你好";
        JsonNode tokens = Http.post(SERVER, "/tokenize", Http.JSON.createObjectNode().put("content", text)).json()
                .get("tokens");
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).asInt();
        }
        assertThat(ids).isEqualTo(TOKENIZER.encode(text, false));
        JsonNode pieces = Http.post(SERVER, "/tokenize", Http.JSON.createObjectNode().put("content", text)
                .put("with_pieces", true).put("add_special", true)).json().get("tokens");
        assertThat(pieces.size()).isEqualTo(TOKENIZER.encode(text, true).length);
        assertThat(pieces.get(0).get("id").asInt()).isEqualTo(ids[0]);
        assertThat(pieces.get(0).get("piece").asText()).isEqualTo(TOKENIZER.decode(new int[] {ids[0]}));
        ObjectNode detokenize = Http.JSON.createObjectNode();
        Arrays.stream(ids).forEach(detokenize.putArray("tokens")::add);
        assertThat(Http.post(SERVER, "/detokenize", detokenize).json().get("content").asText()).isEqualTo(text);
    }

    @Test
    void modelsListsTheServedModel() {
        JsonNode models = Http.get(SERVER, "/v1/models").json();
        assertThat(models.get("object").asText()).isEqualTo("list");
        assertThat(models.get("data").get(0).get("id").asText()).isEqualTo(TestServers.MODEL_NAME);
        assertThat(models.get("data").get(0).get("object").asText()).isEqualTo("model");
        assertThat(models.get("data").get(0).get("max_model_len").asInt()).isEqualTo(TestServers.CONTEXT);
    }

    static JsonNode complete(ObjectNode request) {
        Http.Answer answer = Http.post(SERVER, "/v1/completions", request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static GenerationResult reference(int[] prompt, int maxTokens) {
        Generator generator = new Generator(new Session(REFERENCE, TestServers.CONTEXT), TOKENIZER,
                Generator.endTokensOf(REFERENCE, TOKENIZER));
        return generator.generate(prompt, GenerationOptions.of(SamplerSettings.greedy(), maxTokens)
                .withSplitReasoning(false), TextListener.none(), () -> false);
    }

    /** The log-softmax of the reference model's logits at every position of {@code tokens}, in double. */
    static double[][] logSoftmaxRows(int[] tokens) {
        float[] logits = REFERENCE.logitsForAllPositions(tokens);
        int vocab = REFERENCE.vocabularySize();
        double[][] rows = new double[tokens.length][vocab];
        for (int p = 0; p < tokens.length; p++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[p * vocab + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[p * vocab + v] - max);
            }
            for (int v = 0; v < vocab; v++) {
                rows[p][v] = logits[p * vocab + v] - max - Math.log(sum);
            }
        }
        return rows;
    }

    static int[] best(double[] row, int n) {
        return java.util.stream.IntStream.range(0, row.length).boxed()
                .sorted((a, b) -> Double.compare(row[b], row[a])).limit(n).mapToInt(Integer::intValue).toArray();
    }

    static List<String> pieces(int[] ids) {
        return Arrays.stream(ids).mapToObj(id -> TOKENIZER.decode(new int[] {id})).toList();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static Map<String, Double> map(JsonNode object) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }
}
