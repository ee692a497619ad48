package dev.kopi.hub;

import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubClientTest {
    private static final String REPO = "aisingapore/Tiny-SEA-LION-GGUF";

    @TempDir
    Path cache;

    MockHub hub;
    byte[] q4;

    @BeforeEach
    void startHub() {
        hub = MockHub.start();
        q4 = MockHub.bytes(700_000, 1);
        hub.model(REPO)
                .git("README.md", "# tiny\n".getBytes())
                .lfs("tiny-Q4_K_M.gguf", q4)
                .lfs("tiny-Q8_0.gguf", MockHub.bytes(90_000, 2))
                .lfs("mmproj-tiny-F16.gguf", MockHub.bytes(1_000, 3));
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private HubClient client() {
        return HubFixture.client(HubFixture.config(hub, cache));
    }

    private PullResult pull(HubClient client, String spec) {
        return client.pull(ModelSpec.parse(spec), "main", ProgressListener.NONE);
    }

    private Path repoDir() {
        return cache.resolve("models--aisingapore--Tiny-SEA-LION-GGUF");
    }

    @Test
    void pullsAQuantIntoTheHuggingFaceCacheLayout() throws IOException {
        PullResult result = pull(client(), REPO + ":q4_k_m");
        String commit = hub.model(REPO).commit();
        String sha = MockHub.sha256Hex(q4);

        Path link = repoDir().resolve("snapshots").resolve(commit).resolve("tiny-Q4_K_M.gguf");
        assertThat(result.modelPath()).isEqualTo(link);
        assertThat(result.commit()).isEqualTo(commit);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("..", "..", "blobs", sha));
        assertThat(Files.readAllBytes(link)).isEqualTo(q4);
        assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(commit);
        assertThat(cache.resolve(".locks/models--aisingapore--Tiny-SEA-LION-GGUF/" + sha + ".lock")).exists();
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).containsExactly(sha);
        }
    }

    @Test
    void pullingAgainUsesTheCacheWithoutDownloading() {
        HubClient client = client();
        pull(client, REPO + ":Q4_K_M");
        pull(client, REPO + ":Q4_K_M");
        assertThat(hub.downloads("tiny-Q4_K_M.gguf")).isEqualTo(1);
    }

    @Test
    void anUnqualifiedGgufRepositoryGivesQ4KM() {
        assertThat(pull(client(), REPO).modelPath().getFileName()).hasToString("tiny-Q4_K_M.gguf");
    }

    @Test
    void splitGgufsArePulledWhole() throws IOException {
        List<byte[]> parts = List.of(MockHub.bytes(50_000, 11), MockHub.bytes(50_000, 12), MockHub.bytes(7_000, 13));
        var repo = hub.model("org/big-GGUF");
        for (int i = 0; i < 3; i++) {
            repo.lfs("Q8_0/big-Q8_0-0000" + (i + 1) + "-of-00003.gguf", parts.get(i));
        }
        repo.lfs("big-Q4_K_M.gguf", MockHub.bytes(10, 14));

        PullResult result = pull(client(), "org/big-GGUF:Q8_0");

        assertThat(result.files()).hasSize(3);
        assertThat(result.primary().getFileName()).hasToString("big-Q8_0-00001-of-00003.gguf");
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(result.files().get(i))).isEqualTo(parts.get(i));
        }
        assertThat(result.bytes()).isEqualTo(107_000);
    }

    @Test
    void aSafetensorsRepositoryIsPulledWholeWithoutDuplicateWeights() {
        hub.model("org/tiny-st")
                .git("config.json", "{}".getBytes())
                .git("tokenizer.json", "{\"model\":{}}".getBytes())
                .git("tokenizer_config.json", "{}".getBytes())
                .lfs("tokenizer.model", MockHub.bytes(3_000, 21))
                .git("merges.txt", "a b\n".getBytes())
                .git("chat_template.jinja", "{{ messages }}".getBytes())
                .lfs("model-00001-of-00002.safetensors", MockHub.bytes(40_000, 22))
                .lfs("model-00002-of-00002.safetensors", MockHub.bytes(30_000, 23))
                .git("model.safetensors.index.json", "{}".getBytes())
                .lfs("pytorch_model.bin", MockHub.bytes(70_000, 24))
                .git("README.md", "hi".getBytes());

        PullResult result = pull(client(), "org/tiny-st");

        assertThat(result.primary()).isNull();
        assertThat(result.modelPath()).isEqualTo(result.snapshot());
        assertThat(result.files()).extracting(p -> result.snapshot().relativize(p).toString()).containsExactlyInAnyOrder(
                "config.json", "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "merges.txt",
                "chat_template.jinja", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model.safetensors.index.json");
        assertThat(hub.downloads("pytorch_model.bin")).isZero();
    }

    @Test
    void anInterruptedDownloadIsResumedWithARangeRequestInTheSameRun() throws IOException {
        hub.cutAfter("tiny-Q4_K_M.gguf", 300_000, 1);
        PullResult result = pull(client(), REPO + ":Q4_K_M");

        assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
        assertThat(hub.requests()).filteredOn(r -> r.server().equals("blobs") && r.range() != null)
                .singleElement().satisfies(r -> assertThat(r.range()).matches("bytes=\\d+-").isNotEqualTo("bytes=0-"));
    }

    @Test
    void aDownloadCutInOneRunResumesInTheNextAndEndsByteIdentical() throws IOException {
        hub.cutAfter("tiny-Q4_K_M.gguf", 250_000, 1);
        HubConfig once = HubFixture.config(hub, cache).withRetries(1, java.time.Duration.ofMillis(1));
        assertThatThrownBy(() -> pull(HubFixture.client(once), REPO + ":Q4_K_M"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("run the same command again to resume");
        String sha = MockHub.sha256Hex(q4);
        Path incomplete = repoDir().resolve("blobs").resolve(sha + ".incomplete");
        assertThat(incomplete).exists();
        long kept = Files.size(incomplete);
        assertThat(kept).isPositive().isLessThanOrEqualTo(250_000);
        assertThat(repoDir().resolve("blobs").resolve(sha)).doesNotExist();
        assertThat(repoDir().resolve("snapshots")).doesNotExist();

        PullResult result = pull(client(), REPO + ":Q4_K_M");

        assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
        assertThat(incomplete).doesNotExist();
        assertThat(hub.requests()).anySatisfy(r -> assertThat(r.range()).isEqualTo("bytes=" + kept + "-"));
    }

    @Test
    void aStalledConnectionIsAbandonedAndTheDownloadResumed() throws IOException {
        hub.stallAfter("tiny-Q4_K_M.gguf", 200_000);
        HubClient client = HubFixture.client(HubFixture.config(hub, cache), java.time.Duration.ofMillis(500));

        PullResult result = client.pull(ModelSpec.parse(REPO + ":Q4_K_M"), "main", ProgressListener.NONE);

        assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
        assertThat(hub.requests()).anySatisfy(r -> assertThat(r.range()).matches("bytes=[1-9]\\d*-"));
    }

    @Test
    void a416ForACompletePartialFileFinishesItAfterVerification() throws IOException {
        hub.hideSizes(true);
        String sha = MockHub.sha256Hex(q4);
        Path blobs = Files.createDirectories(repoDir().resolve("blobs"));
        Files.write(blobs.resolve(sha + ".incomplete"), q4);

        PullResult result = pull(client(), REPO + ":Q4_K_M");

        assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
        assertThat(hub.requests()).anySatisfy(r -> assertThat(r.range()).isEqualTo("bytes=" + q4.length + "-"));
    }

    @Test
    void aServerThatIgnoresRangeRestartsTheFileInsteadOfSplicingIt() throws IOException {
        hub.ignoreRange(true);
        String sha = MockHub.sha256Hex(q4);
        Path blobs = Files.createDirectories(repoDir().resolve("blobs"));
        Files.write(blobs.resolve(sha + ".incomplete"), java.util.Arrays.copyOf(q4, 100_000));

        PullResult result = pull(client(), REPO + ":Q4_K_M");

        assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
    }

    @Test
    void aChecksumMismatchIsReportedAndNothingIsCachedAsGood() {
        hub.corrupt("tiny-Q4_K_M.gguf");
        String sha = MockHub.sha256Hex(q4);

        assertThatThrownBy(() -> pull(client(), REPO + ":Q4_K_M"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.CHECKSUM_MISMATCH))
                .hasMessageContaining("checksum mismatch for tiny-Q4_K_M.gguf")
                .hasMessageContaining("expected SHA-256 " + sha);
        assertThat(repoDir().resolve("blobs").resolve(sha)).doesNotExist();
        assertThat(repoDir().resolve("blobs").resolve(sha + ".incomplete")).doesNotExist();
        assertThat(repoDir().resolve("snapshots")).doesNotExist();
        assertThat(repoDir().resolve("refs/main")).doesNotExist();
        assertThat(client().cached(ModelSpec.parse(REPO + ":Q4_K_M"), "main")).isEmpty();
    }

    @Test
    void smallGitFilesAreVerifiedByTheirBlobId() throws IOException {
        PullResult result = pull(client(), REPO + ":README.md");
        assertThat(Files.readString(result.files().getFirst())).isEqualTo("# tiny\n");
        String blobName = result.files().getFirst().toRealPath().getFileName().toString();
        assertThat(blobName).hasSize(40); // the git blob sha1, as huggingface_hub names non-LFS blobs
    }

    @Test
    void gatedRepositoriesExplainWhatToDoAndTheTokenNeverLeavesTheHub() throws IOException {
        hub.model("org/gated-GGUF").lfs("g-Q4_K_M.gguf", MockHub.bytes(5_000, 31)).gated();
        HubConfig config = HubFixture.config(hub, cache);

        assertThatThrownBy(() -> pull(HubFixture.client(config), "org/gated-GGUF"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED))
                .hasMessageContaining("HTTP 401").hasMessageContaining("set HF_TOKEN")
                .hasMessageContaining(hub.endpoint() + "/org/gated-GGUF");
        assertThatThrownBy(() -> pull(HubFixture.client(config.withToken("hf_wrong")), "org/gated-GGUF"))
                .hasMessageContaining("HTTP 403").hasMessageContaining("accept the licence");

        PullResult result = pull(HubFixture.client(config.withToken(MockHub.TOKEN)), "org/gated-GGUF");

        assertThat(Files.size(result.modelPath())).isEqualTo(5_000);
        assertThat(hub.requests()).filteredOn(r -> r.server().equals("blobs")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isNull());
        assertThat(hub.requests()).filteredOn(r -> r.server().equals("hub") && r.authorization() != null).isNotEmpty();
    }

    @Test
    void transientFailuresAreRetriedAndPersistentOnesReported() {
        hub.failNext(503, 2, null);
        assertThat(pull(client(), REPO + ":Q8_0").files()).hasSize(1);

        hub.failNext(429, 1, "0");
        assertThat(pull(client(), REPO + ":Q4_K_M").files()).hasSize(1);

        hub.failNext(503, 100, null);
        assertThatThrownBy(() -> pull(client(), REPO + ":mmproj-tiny-F16.gguf"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNREACHABLE))
                .hasMessageContaining("HTTP 503").hasMessageContaining("after 4 tries");
    }

    @Test
    void anUnreachableHubIsReportedPlainly() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HubConfig config = HubFixture.config(hub, cache).withEndpoint(java.net.URI.create("http://127.0.0.1:" + closedPort));
        assertThatThrownBy(() -> pull(HubFixture.client(config), REPO))
                .hasMessage("cannot reach http://127.0.0.1:" + closedPort + " (connection refused) after 4 tries");
    }

    @Test
    void unknownRepositoriesRevisionsAndQuantsAreNamed() {
        assertThatThrownBy(() -> pull(client(), "org/nothing")).hasMessageContaining("org/nothing was not found");
        assertThatThrownBy(() -> client().pull(ModelSpec.parse(REPO), "v9", ProgressListener.NONE))
                .hasMessageContaining("revision 'v9'");
        assertThatThrownBy(() -> pull(client(), REPO + ":Q2_K"))
                .hasMessageContaining("no GGUF file of " + REPO + " matches 'Q2_K'")
                .hasMessageContaining("Q4_K_M, Q8_0");
    }

    @Test
    void concurrentPullsOfTheSameFileInThreadsShareOneDownload() throws Exception {
        hub.slowBlobs(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PullResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> pull(client(), REPO + ":Q4_K_M")));
            }
            for (Future<PullResult> r : results) {
                assertThat(Files.readAllBytes(r.get(60, TimeUnit.SECONDS).modelPath())).isEqualTo(q4);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(hub.downloads("tiny-Q4_K_M.gguf")).isEqualTo(1);
        assertThat(repoDir().resolve("blobs").resolve(MockHub.sha256Hex(q4) + ".incomplete")).doesNotExist();
    }

    @Test
    void concurrentPullsOfTheSameFileInTwoProcessesDoNotCorruptIt() throws Exception {
        hub.slowBlobs(3);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PullMain.class.getName(),
                    hub.endpoint().toString(), cache.toString(), REPO + ":Q4_K_M").redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(output).isZero();
        }
        Path link = repoDir().resolve("snapshots").resolve(hub.model(REPO).commit()).resolve("tiny-Q4_K_M.gguf");
        assertThat(Files.readAllBytes(link)).isEqualTo(q4);
        assertThat(hub.downloads("tiny-Q4_K_M.gguf")).isEqualTo(1);
    }

    @Test
    void offlineResolvesFromTheCacheOnlyAndSaysSoWhenAbsent() {
        pull(client(), REPO + ":Q4_K_M");
        int requestsBefore = hub.requests().size();
        HubClient offline = HubFixture.client(HubFixture.config(hub, cache).withOffline(true));

        PullResult cached = offline.pull(ModelSpec.parse(REPO + ":Q4_K_M"), "main", ProgressListener.NONE);

        assertThat(cached.modelPath().getFileName()).hasToString("tiny-Q4_K_M.gguf");
        assertThatThrownBy(() -> offline.pull(ModelSpec.parse(REPO + ":Q8_0"), "main", ProgressListener.NONE))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_CACHED))
                .hasMessageContaining("HF_HUB_OFFLINE=1").hasMessageContaining("kopi pull " + REPO + ":Q8_0");
        assertThat(hub.requests()).hasSize(requestsBefore);
    }

    @Test
    void aFullDiskIsReportedWithTheFileAndTheBytesNeeded() {
        CacheStorage fullDisk = new CacheStorage() {
            @Override
            public void createDirectories(Path dir) throws IOException {
                Files.createDirectories(dir);
            }

            @Override
            public WritableByteChannel openForAppend(Path file) throws IOException {
                WritableByteChannel real = CacheStorage.FILE_SYSTEM.openForAppend(file);
                return new WritableByteChannel() {
                    long written;

                    @Override
                    public int write(ByteBuffer src) throws IOException {
                        if (written > 100_000) {
                            throw new IOException("No space left on device");
                        }
                        int n = real.write(src);
                        written += n;
                        return n;
                    }

                    @Override
                    public boolean isOpen() {
                        return real.isOpen();
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
            }
        };
        HubClient client = HubFixture.client(HubFixture.config(hub, cache), fullDisk);

        assertThatThrownBy(() -> pull(client, REPO + ":Q4_K_M"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.STORAGE))
                .hasMessageMatching("no space left on device while writing .*\\.incomplete \\(needed \\d+ bytes.*");
        assertThat(repoDir().resolve("blobs").resolve(MockHub.sha256Hex(q4))).doesNotExist();
        assertThat(repoDir().resolve("snapshots")).doesNotExist();
    }

    @Test
    void anUnwritableCacheIsReportedWithAdvice() {
        CacheStorage readOnly = new CacheStorage() {
            @Override
            public void createDirectories(Path dir) throws IOException {
                throw new AccessDeniedException(dir.toString());
            }

            @Override
            public WritableByteChannel openForAppend(Path file) throws IOException {
                throw new AccessDeniedException(file.toString());
            }
        };
        HubClient client = HubFixture.client(HubFixture.config(hub, cache), readOnly);

        assertThatThrownBy(() -> pull(client, REPO + ":Q4_K_M"))
                .hasMessage("cannot write to cache dir " + cache.toAbsolutePath()
                        + ": permission denied; set HF_HOME (or HF_HUB_CACHE) to a writable directory");
    }

    @Test
    void datasetFilesComeFromTheDatasetEndpointsIntoTheirOwnCacheFolder() throws IOException {
        byte[] parquet = MockHub.bytes(20_000, 41);
        hub.dataset("aisingapore/sea-helm-mini")
                .git("data/test.jsonl", "{\"q\":\"apa khabar\"}\n".getBytes())
                .lfs("data/test.parquet", parquet);
        RepoId dataset = RepoId.dataset("aisingapore/sea-helm-mini");

        Path file = client().download(dataset, "main", "data/test.parquet", ProgressListener.NONE);

        assertThat(file).startsWithRaw(cache.resolve("datasets--aisingapore--sea-helm-mini/snapshots"));
        assertThat(Files.readAllBytes(file)).isEqualTo(parquet);
        assertThat(Files.readSymbolicLink(file).toString()).startsWith("../../../blobs/");

        PullResult whole = pull(client(), "datasets/aisingapore/sea-helm-mini");
        assertThat(whole.files()).hasSize(2);
        assertThat(hub.requests()).anySatisfy(r -> assertThat(r.path()).startsWith("/api/datasets/aisingapore/sea-helm-mini/revision/main"));
    }

    @Test
    void aCommitRevisionWritesNoRefAndABranchDoes() {
        String commit = hub.model(REPO).commit();
        PullResult byCommit = client().pull(ModelSpec.parse(REPO + ":Q8_0"), commit, ProgressListener.NONE);
        assertThat(byCommit.commit()).isEqualTo(commit);
        assertThat(repoDir().resolve("refs")).doesNotExist();
        assertThat(client().cached(ModelSpec.parse(REPO + ":Q8_0"), commit)).isPresent();

        pull(client(), REPO + ":Q8_0");
        assertThat(repoDir().resolve("refs/main")).hasContent(commit);
    }
}
