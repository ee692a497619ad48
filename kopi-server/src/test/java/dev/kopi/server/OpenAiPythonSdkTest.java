package dev.kopi.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.sample.SamplerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI Python SDK, unchanged, against kopi serve: models, chat whole and streamed, a text
 * completion with logprobs, errors as its exception types, and a tool call round trip. The SDK is installed from
 * the machine's local wheel folder; if that is impossible the test fails: it never skips.
 */
class OpenAiPythonSdkTest {
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static final Path SITE = Path.of("target", "python-openai").toAbsolutePath();

    @BeforeAll
    static void installOpenAiSdk() throws Exception {
        if (run("python3", "-c", "import openai").exitCode() == 0) {
            return;
        }
        Result pip = run("python3", "-m", "pip", "install", "--quiet", "--no-index", "--find-links", WHEELS.toString(),
                "--target", SITE.toString(), "openai");
        if (pip.exitCode() != 0) {
            throw new AssertionError("the OpenAI Python SDK is missing and could not be installed from " + WHEELS + ": "
                    + pip.output());
        }
    }

    @Test
    void theOfficialSdkTalksToKopiServeUnchanged() throws Exception {
        ScriptedAnswersTest.script(ScriptedAnswersTest.OPEN_ASSISTANT, "Let me check.\n\n" + ScriptedAnswersTest.WEATHER_CALL);
        Path script = Files.createTempFile("openai_sdk_client", ".py");
        try (InputStream in = OpenAiPythonSdkTest.class.getResourceAsStream("openai_sdk_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Result python = run("python3", script.toString(), TestServers.SERVER.baseUrl().toString(),
                TestServers.scriptedServer().baseUrl().toString(), TestServers.API_KEY, TestServers.MODEL_NAME);
        assertThat(python.exitCode()).as(python.output()).isZero();
        JsonNode out = Http.JSON.readTree(python.output().lines().reduce((a, b) -> b).orElseThrow());

        assertThat(out.get("models")).containsExactly(Http.JSON.getNodeFactory().textNode(TestServers.MODEL_NAME));
        GenerationResult expected = ChatCompletionsTest.reference("Apa khabar hari ini?",
                SamplerSettings.defaults(7).withTemperature(1.0f), 12);
        assertThat(out.get("chat").get("content").asText()).isEqualTo(expected.content());
        assertThat(out.get("chat").get("completion_tokens").asInt()).isEqualTo(expected.tokens().length);
        assertThat(out.get("stream").get("content").asText()).isEqualTo(expected.content());
        assertThat(out.get("stream").get("chunks").asInt()).isGreaterThan(1);
        assertThat(out.get("stream").get("finish_reason").asText()).isEqualTo(out.get("chat").get("finish_reason").asText());
        assertThat(out.get("stream").get("completion_tokens").asInt()).isEqualTo(expected.tokens().length);
        assertThat(out.get("completion").get("text").asText()).startsWith("Selamat pagi");
        assertThat(out.get("completion").get("token_logprobs").get(0).isNull()).isTrue();
        assertThat(out.get("completion").get("token_logprobs").size()).isEqualTo(out.get("completion").get("tokens").size());
        assertThat(out.get("bad_request").get("status").asInt()).isEqualTo(400);
        assertThat(out.get("bad_request").get("message").asText()).contains("'temperature' must be between 0 and 2, got 5");
        assertThat(out.get("unauthorized").get("status").asInt()).isEqualTo(401);

        JsonNode call = out.get("tool_call");
        assertThat(call.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(call.get("name").asText()).isEqualTo("get_weather");
        assertThat(call.get("arguments")).isEqualTo(Http.JSON.createObjectNode().put("city", "Jakarta"));
        assertThat(call.get("content").asText()).isEqualTo("Let me check.");
        assertThat(out.get("streamed_tool_call").get("name").asText()).isEqualTo("get_weather");
        assertThat(out.get("streamed_tool_call").get("arguments")).isEqualTo(call.get("arguments"));
        JsonNode roundTrip = out.get("round_trip");
        assertThat(roundTrip.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(roundTrip.get("prompt_tokens").asInt()).as("the call and its result were rendered into the prompt")
                .isGreaterThan(roundTrip.get("first_prompt_tokens").asInt() + 20);
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", SITE.toString());
        builder.environment().remove("OPENAI_API_KEY");
        builder.environment().remove("OPENAI_BASE_URL");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
