package dev.kopi.hub;

import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubCacheTest {
    @TempDir
    Path cache;

    @Test
    void listsDescribesAndDeletesCachedRepositories() {
        try (MockHub hub = MockHub.start()) {
            hub.model("org/a-GGUF").lfs("a-Q4_K_M.gguf", MockHub.bytes(3_000, 1)).lfs("a-Q8_0.gguf", MockHub.bytes(5_000, 2));
            hub.dataset("org/d").git("x.jsonl", "{}\n".getBytes());
            HubClient client = HubFixture.client(HubFixture.config(hub, cache));
            client.pull(ModelSpec.parse("org/a-GGUF:Q4_K_M"), "main", ProgressListener.NONE);
            client.pull(ModelSpec.parse("org/a-GGUF:Q8_0"), "main", ProgressListener.NONE);
            client.pull(ModelSpec.parse("datasets/org/d"), "main", ProgressListener.NONE);
            HubCache c = client.cache();

            assertThat(c.list()).extracting(r -> r.repo().toString()).containsExactly("datasets/org/d", "org/a-GGUF");
            CachedRepo a = c.find(RepoId.model("org/a-GGUF")).orElseThrow();
            assertThat(a.sizeOnDisk()).isEqualTo(8_000);
            CachedSnapshot main = a.current().orElseThrow();
            assertThat(main.refs()).containsExactly("main");
            assertThat(main.commit()).isEqualTo(hub.model("org/a-GGUF").commit());
            assertThat(main.files()).extracting(CachedFile::path, CachedFile::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a-Q4_K_M.gguf", 3_000L),
                            org.assertj.core.groups.Tuple.tuple("a-Q8_0.gguf", 5_000L));

            long freed = c.delete(RepoId.model("org/a-GGUF"), main, main.files().subList(1, 2));
            assertThat(freed).isEqualTo(5_000);
            assertThat(c.find(RepoId.model("org/a-GGUF")).orElseThrow().sizeOnDisk()).isEqualTo(3_000);

            assertThat(c.delete(RepoId.model("org/a-GGUF"))).isEqualTo(3_000);
            assertThat(cache.resolve("models--org--a-GGUF")).doesNotExist();
            assertThat(cache.resolve(".locks/models--org--a-GGUF")).doesNotExist();
            assertThatThrownBy(() -> c.delete(RepoId.model("org/a-GGUF"))).hasMessageContaining("is not in the cache");
            assertThat(Files.isDirectory(cache.resolve("datasets--org--d"))).isTrue();
        }
    }
}
