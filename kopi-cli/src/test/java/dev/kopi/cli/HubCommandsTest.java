package dev.kopi.cli;

import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** kopi pull, list, show and rm against a mock hub. */
class HubCommandsTest {
    private static final String REPO = "aisingapore/Tiny-SEA-LION-GGUF";

    @TempDir
    Path home;

    MockHub hub;
    Map<String, String> savedEnvironment;
    byte[] q4 = MockHub.bytes(300_000, 7);

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void setUp() {
        hub = MockHub.start();
        hub.model(REPO).lfs("tiny-Q4_K_M.gguf", q4).lfs("tiny-Q8_0.gguf", MockHub.bytes(50_000, 8))
                .git("README.md", "tiny".getBytes());
        savedEnvironment = PullCommand.environment;
        PullCommand.environment = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString());
    }

    @AfterEach
    void tearDown() {
        PullCommand.environment = savedEnvironment;
        hub.close();
    }

    private Run kopi(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KopiCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path cache() {
        return home.resolve("hf/hub");
    }

    @Test
    void pullPrintsTheModelPathAndProgressThenListShowAndRmSeeIt() throws IOException {
        Run pull = kopi("pull", REPO + ":Q4_K_M");
        assertThat(pull.exitCode()).as(pull.err()).isZero();
        Path model = Path.of(pull.out().strip());
        assertThat(model).startsWithRaw(cache().resolve("models--aisingapore--Tiny-SEA-LION-GGUF/snapshots"));
        assertThat(Files.readAllBytes(model)).isEqualTo(q4);
        assertThat(pull.err()).contains("pull: 100% 300 kB/300 kB").contains("pulled " + REPO + ":Q4_K_M (1 file, 300 kB)");

        assertThat(kopi("pull", "--quiet", REPO + ":Q8_0").err()).isEmpty();

        Run list = kopi("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines()).hasSize(2);
        assertThat(list.out().lines().toList().get(0)).startsWith("NAME").contains("REVISION").contains("SIZE").contains("FILES");
        assertThat(list.out().lines().toList().get(1)).startsWith(REPO).contains("main@" + hub.model(REPO).commit().substring(0, 7))
                .contains("350 kB").containsPattern("\\s2\\s");

        Run show = kopi("show", REPO);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("path:     " + cache().resolve("models--aisingapore--Tiny-SEA-LION-GGUF"))
                .containsPattern("tiny-Q4_K_M\\.gguf\\s+300 kB\\s+Q4_K_M")
                .containsPattern("tiny-Q8_0\\.gguf\\s+50\\.0 kB\\s+Q8_0");

        Run rmQuant = kopi("rm", REPO + ":Q8_0", "--yes");
        assertThat(rmQuant.out()).contains("removed tiny-Q8_0.gguf of " + REPO + ", freed 50.0 kB");
        assertThat(Files.readAllBytes(model)).isEqualTo(q4);

        Run rm = kopi("rm", REPO, "--yes");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.out()).contains("removed " + REPO + ", freed 300 kB");
        assertThat(kopi("list").out()).startsWith("no models in " + cache());
    }

    @Test
    void errorsAreOneClearLineWithANonZeroExitCode() {
        hub.model("org/gated-GGUF").lfs("g-Q4_K_M.gguf", MockHub.bytes(10, 1)).gated();

        Run gated = kopi("pull", "org/gated-GGUF");
        assertThat(gated.exitCode()).isNotZero();
        assertThat(gated.err().lines()).singleElement().asString()
                .startsWith("kopi: access to g-Q4_K_M.gguf in org/gated-GGUF was refused (HTTP 401)").contains("HF_TOKEN");

        Run ambiguous = kopi("pull", REPO + ":Q9_9");
        assertThat(ambiguous.err()).contains("kopi: no GGUF file of " + REPO + " matches 'Q9_9'; available: Q4_K_M, Q8_0");

        assertThat(kopi("pull", "not a repo").err()).contains("is not a repository name");
        assertThat(kopi("show", "org/absent").err()).contains("kopi: org/absent is not in the cache; 'kopi pull org/absent' downloads it");
        assertThat(kopi("rm", "org/absent", "--yes").exitCode()).isNotZero();

        kopi("pull", "-q", REPO + ":Q8_0");
        Run noConfirmation = kopi("rm", REPO);
        assertThat(noConfirmation.err()).contains("pass --yes");
        assertThat(cache().resolve("models--aisingapore--Tiny-SEA-LION-GGUF")).exists();
    }

    @Test
    void pullHonoursOfflineMode() {
        kopi("pull", "-q", REPO + ":Q4_K_M");
        PullCommand.environment = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", home.resolve("hf").toString(),
                "HF_HUB_OFFLINE", "1");
        int before = hub.requests().size();

        assertThat(kopi("pull", "-q", REPO + ":Q4_K_M").exitCode()).isZero();
        Run missing = kopi("pull", "-q", REPO + ":Q8_0");
        assertThat(missing.err()).contains("HF_HUB_OFFLINE=1 forbids downloading it");
        assertThat(hub.requests()).hasSize(before);
    }
}
