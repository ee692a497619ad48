package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static dev.kopi.server.TestServers.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad requests get OpenAI's error object with the right status and a message naming the problem, never a stack
 * trace, and the server goes on serving.
 */
class ErrorsTest {
    static final String CHAT = "/v1/chat/completions";
    static final String COMPLETIONS = "/v1/completions";
    static final String USER = "\"messages\": [{\"role\": \"user\", \"content\": \"Halo\"}]";

    static Stream<Arguments> badRequests() {
        String longPrompt = "kata ".repeat(700);
        return Stream.of(
                arguments(CHAT, "{\"messages\": [", 400, "the request body is not valid JSON: Unexpected end-of-input"),
                arguments(CHAT, "", 400, "the request body is empty"),
                arguments(CHAT, "[1, 2]", 400, "the request body must be a JSON object, got an array"),
                arguments(CHAT, "{\"model\": \"x\"} trailing", 400, "the request body is not valid JSON"),
                arguments(CHAT, "{}", 400, "'messages' must be a non-empty array of messages"),
                arguments(CHAT, "{\"messages\": \"Halo\"}", 400, "'messages' must be an array, got a string \"Halo\""),
                arguments(CHAT, "{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}", 400,
                        "'messages[0].role' must be one of system, developer, user, assistant or tool, got a string \"wizard\""),
                arguments(CHAT, "{" + USER + ", \"temperature\": \"hot\"}", 400,
                        "'temperature' must be a number, got a string \"hot\""),
                arguments(CHAT, "{" + USER + ", \"temperature\": 5}", 400, "'temperature' must be between 0 and 2, got 5"),
                arguments(CHAT, "{" + USER + ", \"top_p\": 1.5}", 400, "'top_p' must be between 0 and 1, got 1.5"),
                arguments(CHAT, "{" + USER + ", \"top_k\": 2.5}", 400, "'top_k' must be an integer, got a number 2.5"),
                arguments(CHAT, "{" + USER + ", \"max_tokens\": 0}", 400, "'max_tokens' must be between 1 and 2147483647, got 0"),
                arguments(CHAT, "{" + USER + ", \"max_completion_tokens\": -3}", 400,
                        "'max_completion_tokens' must be between 1 and 2147483647, got -3"),
                arguments(CHAT, "{" + USER + ", \"presence_penalty\": 3}", 400, "'presence_penalty' must be between -2 and 2, got 3"),
                arguments(CHAT, "{" + USER + ", \"repeat_penalty\": 0}", 400, "'repeat_penalty' must be positive (1 disables it), got 0"),
                arguments(CHAT, "{" + USER + ", \"seed\": \"abc\"}", 400, "'seed' must be an integer, got a string \"abc\""),
                arguments(CHAT, "{" + USER + ", \"stop\": [1]}", 400, "'stop' must be a string or an array of strings, got an array [1]"),
                arguments(CHAT, "{" + USER + ", \"stop\": \"\"}", 400, "'stop' must not hold an empty string"),
                arguments(CHAT, "{" + USER + ", \"stream\": \"yes\"}", 400, "'stream' must be true or false, got a string \"yes\""),
                arguments(CHAT, "{" + USER + ", \"stream_options\": {\"include_usage\": true}}", 400,
                        "'stream_options' is only allowed when 'stream' is true"),
                arguments(CHAT, "{" + USER + ", \"n\": 2}", 400, "'n' must be 1: kopi generates one choice per prompt, got 2"),
                arguments(CHAT, "{" + USER + ", \"tool_choice\": \"required\"}", 400, "'tool_choice' required needs 'tools'"),
                arguments(CHAT, "{" + USER + ", \"tool_choice\": \"always\"}", 400, "'tool_choice' must be \"none\", \"auto\", \"required\""),
                arguments(CHAT, "{" + USER + ", \"tools\": [{\"type\": \"retrieval\"}]}", 400, "'tools[0]' must be {\"type\": \"function\""),
                arguments(CHAT, "{" + USER + ", \"response_format\": {\"type\": \"json_object\"}}", 400,
                        "'response_format' other than {\"type\": \"text\"} is not supported"),
                arguments(CHAT, "{" + USER + ", \"logprobs\": true}", 400, "'logprobs' is not supported for chat completions"),
                arguments(CHAT, "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", 400,
                        "'messages[0].content[0]' must be a text part"),
                arguments(CHAT, "{\"messages\": [{\"role\": \"user\", \"content\": \"\\ud800 alone\"}]}", 400,
                        "'messages[0].content' holds an unpaired surrogate (\\ud800), which is not valid Unicode text"),
                arguments(CHAT, "{\"messages\": [{\"role\": \"user\", \"content\": \"" + longPrompt + "\"}]}", 400,
                        "This model's maximum context length is 512 tokens, but the messages came to 710 tokens"),
                arguments(COMPLETIONS, "{\"prompt\": \"" + longPrompt + "\"}", 400,
                        "This model's maximum context length is 512 tokens, but the prompt came to 702 tokens"),
                arguments(COMPLETIONS, "{}", 400, "'prompt' is required"),
                arguments(COMPLETIONS, "{\"prompt\": 42}", 400, "'prompt' must be a string, an array of token ids, or a non-empty array of either, got a number 42"),
                arguments(COMPLETIONS, "{\"prompt\": \"\"}", 400, "the prompt must not be empty (it gives no tokens)"),
                arguments(COMPLETIONS, "{\"prompt\": [1, 999999]}", 400, "token id 999999 at index 1 of the prompt is not in the vocabulary"),
                arguments(COMPLETIONS, "{\"prompt\": \"Halo\", \"logprobs\": 50}", 400, "'logprobs' must be between 0 and 20, got 50"),
                arguments(COMPLETIONS, "{\"prompt\": \"Halo\", \"suffix\": \"x\"}", 400, "'suffix' (fill in the middle) is not supported"),
                arguments(COMPLETIONS, "{\"prompt\": \"Halo\", \"best_of\": 3}", 400, "'best_of' must be 1"),
                arguments("/tokenize", "{\"add_special\": true}", 400, "'content' is required"),
                arguments("/detokenize", "{\"tokens\": [1, -5]}", 400, "'tokens[1]' must be a token id of this model, got a number -5"),
                arguments("/v1/embeddings", "{\"input\": \"x\"}", 404, "no endpoint POST /v1/embeddings"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badRequests")
    void aBadRequestGetsAnOpenAiErrorNamingTheProblem(String path, String body, int status, String message) {
        assertError(Http.post(SERVER, path, body), status, message);
    }

    @Test
    void invalidUtf8IsRefusedWithA400() {
        byte[] body = "{\"prompt\": \"abc\u0000\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
        assertError(Http.send(SERVER, COMPLETIONS, "POST", body, TestServers.API_KEY), 400,
                "the request body is not valid JSON: Invalid UTF-8 middle byte");
    }

    @Test
    void aMissingOrWrongApiKeyIsA401ButHealthNeedsNone() {
        assertError(Http.send(SERVER, CHAT, "POST", ("{" + USER + "}").getBytes(StandardCharsets.UTF_8), null), 401,
                "missing API key: send it as 'Authorization: Bearer KEY'");
        assertError(Http.send(SERVER, "/v1/models", "GET", null, "sk-wrong"), 401, "invalid API key");
        Http.Answer health = Http.send(SERVER, "/health", "GET", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void afterEveryKindOfBadRequestTheServerStillServes() {
        badRequests().forEach(a -> Http.post(SERVER, (String) a.get()[0], (String) a.get()[1]));
        Http.Answer answer = Http.post(SERVER, CHAT, "{" + USER + ", \"max_tokens\": 2}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("usage").get("completion_tokens").asInt()).isBetween(1, 2);
        assertThat(SERVER.generationsInFlight()).isZero();
    }

    static void assertError(Http.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode error = answer.json().get("error");
        assertThat(error).as(answer.body()).isNotNull();
        assertThat(error.get("message").asText()).startsWith(message);
        assertThat(error.get("type").asText()).isEqualTo(status == 401 || status < 500 ? "invalid_request_error" : "server_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.kopi");
    }
}
