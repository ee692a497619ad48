package dev.kopi.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HubConfigTest {
    @TempDir
    Path home;

    @Test
    void defaultsFollowHuggingfaceHub() {
        HubConfig c = HubConfig.fromEnvironment(Map.of(), home);
        assertThat(c.endpoint()).hasToString("https://huggingface.co");
        assertThat(c.cacheDir()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(c.token()).isEmpty();
        assertThat(c.offline()).isFalse();
    }

    @Test
    void environmentVariablesOverrideInHuggingfaceHubsOrder() throws IOException {
        Path hfHome = Files.createDirectories(home.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_fromfile\n");
        HubConfig fromHome = HubConfig.fromEnvironment(Map.of("HF_HOME", hfHome.toString(), "HF_HUB_OFFLINE", "1",
                "HF_ENDPOINT", "http://mirror.test/"), home);
        assertThat(fromHome.cacheDir()).isEqualTo(hfHome.resolve("hub"));
        assertThat(fromHome.token()).isEqualTo(Optional.of("hf_fromfile"));
        assertThat(fromHome.offline()).isTrue();
        assertThat(fromHome.endpoint()).hasToString("http://mirror.test");

        HubConfig explicit = HubConfig.fromEnvironment(Map.of("HF_HOME", hfHome.toString(), "HF_HUB_CACHE", "/x/cache",
                "HF_TOKEN", "hf_env", "HF_HUB_OFFLINE", "0"), home);
        assertThat(explicit.cacheDir()).isEqualTo(Path.of("/x/cache"));
        assertThat(explicit.token()).isEqualTo(Optional.of("hf_env"));
        assertThat(explicit.offline()).isFalse();
        assertThat(explicit.toString()).doesNotContain("hf_env");
    }
}
