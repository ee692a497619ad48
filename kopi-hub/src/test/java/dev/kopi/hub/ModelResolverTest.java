package dev.kopi.hub;

import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelResolverTest {
    private static final String REPO = "aisingapore/Tiny-GGUF";

    @TempDir
    Path cache;

    MockHub hub;
    final List<String> questions = new ArrayList<>();

    @BeforeEach
    void startHub() {
        hub = MockHub.start();
        hub.model(REPO).lfs("tiny-Q4_K_M.gguf", MockHub.bytes(4_000, 1)).lfs("tiny-Q8_0.gguf", MockHub.bytes(8_000, 2));
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private ModelResolver resolver(HubConfig config, Map<String, String> env) {
        return new ModelResolver(HubFixture.client(config), env);
    }

    private ModelResolver resolver() {
        return resolver(HubFixture.config(hub, cache), Map.of());
    }

    private Prompt answering(boolean yes) {
        return question -> {
            questions.add(question);
            return yes;
        };
    }

    @Test
    void anExistingPathIsUsedAsItIs() throws IOException {
        Path file = Files.writeString(cache.resolve("local.gguf"), "x");
        assertThat(resolver().resolve(file.toString(), false, Prompt.NO_TERMINAL, ProgressListener.NONE)).isEqualTo(file);
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aMissingModelIsPulledAfterAskingAndThenFoundInTheCache() {
        Path pulled = resolver().resolve(REPO + ":Q8_0", false, answering(true), ProgressListener.NONE);

        assertThat(pulled.getFileName()).hasToString("tiny-Q8_0.gguf");
        assertThat(questions).singleElement().asString()
                .contains(REPO + ":Q8_0 is not downloaded").contains("tiny-Q8_0.gguf, 8.0 kB").contains(hub.endpoint().toString());
        int before = hub.requests().size();
        assertThat(resolver().resolve(REPO + ":Q8_0", false, Prompt.NO_TERMINAL, ProgressListener.NONE)).isEqualTo(pulled);
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void aDeclinedOrUnaskableDownloadSaysHowToGetTheModel() {
        assertThatThrownBy(() -> resolver().resolve(REPO, false, answering(false), ProgressListener.NONE))
                .hasMessageContaining("was not downloaded; 'kopi pull " + REPO + "' downloads it");
        assertThatThrownBy(() -> resolver().resolve(REPO, false, Prompt.NO_TERMINAL, ProgressListener.NONE))
                .hasMessageContaining("pass --yes");
        assertThat(resolver().resolve(REPO, true, Prompt.NO_TERMINAL, ProgressListener.NONE).getFileName())
                .hasToString("tiny-Q4_K_M.gguf");
    }

    @Test
    void theDefaultModelIsUsedWithoutMAndCanBeReplacedByKopiModel() {
        hub.model("aisingapore/Apertus-SEA-LION-v4-8B-IT-GGUF").lfs("Apertus-SEA-LION-v4-8B-IT-Q4_K_M.gguf", MockHub.bytes(100, 3));
        Path chosen = resolver().resolve(null, true, Prompt.NO_TERMINAL, ProgressListener.NONE);
        assertThat(chosen.getFileName()).hasToString("Apertus-SEA-LION-v4-8B-IT-Q4_K_M.gguf");
        assertThat(DefaultModel.SPEC).isEqualTo("aisingapore/Apertus-SEA-LION-v4-8B-IT-GGUF:Q4_K_M");

        Path other = resolver(HubFixture.config(hub, cache), Map.of("KOPI_MODEL", REPO + ":Q8_0"))
                .resolve("", true, Prompt.NO_TERMINAL, ProgressListener.NONE);
        assertThat(other.getFileName()).hasToString("tiny-Q8_0.gguf");
    }

    @Test
    void withoutNetworkOrCacheTheDefaultModelErrorSaysWhatToDo() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HubConfig unreachable = HubFixture.config(hub, cache).withEndpoint(URI.create("http://127.0.0.1:" + closedPort));
        assertThatThrownBy(() -> resolver(unreachable, Map.of()).resolve(null, true, Prompt.NO_TERMINAL, ProgressListener.NONE))
                .hasMessageContaining("no model given (-m) and the default model " + DefaultModel.SPEC + " is not downloaded")
                .hasMessageContaining("kopi pull " + DefaultModel.SPEC)
                .hasMessageContaining("kopi synth");
        HubConfig offline = HubFixture.config(hub, cache).withOffline(true);
        assertThatThrownBy(() -> resolver(offline, Map.of()).resolve(null, true, Prompt.NO_TERMINAL, ProgressListener.NONE))
                .hasMessageContaining("HF_HUB_OFFLINE").hasMessageContaining("kopi synth");
    }

    @Test
    void nonsenseIsNeitherAFileNorAName() {
        assertThatThrownBy(() -> resolver().resolve("no such file.gguf", true, Prompt.NO_TERMINAL, ProgressListener.NONE))
                .hasMessage("'no such file.gguf' is neither an existing file nor a model name (org/name or org/name:QUANT)");
    }
}
