package dev.kopi.hub;

import dev.kopi.testkit.MockHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle for cache sharing: Python's huggingface_hub itself. It downloads from the mock hub into a cache that
 * kopi then reads offline, and reads offline what kopi pulled.
 */
class PythonCacheCompatibilityTest {
    /** The huggingface_hub wheel and its dependencies, as the machine's local package mirror holds them. */
    private static final Path WHEELS = Path.of("/opt/pypi/files");
    private static final Path SITE = Path.of("target", "python-hub").toAbsolutePath();
    private static final String REPO = "aisingapore/Tiny-SEA-LION-GGUF";

    @TempDir
    Path cache;

    MockHub hub;
    byte[] q4 = MockHub.bytes(200_000, 5);

    @BeforeAll
    static void installHuggingfaceHub() throws Exception {
        if (python("import huggingface_hub", Map.of()).exitCode == 0) {
            return;
        }
        Process pip = new ProcessBuilder("python3", "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
                WHEELS.toString(), "--target", SITE.toString(), "huggingface_hub").redirectErrorStream(true).start();
        String output = new String(pip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!pip.waitFor(5, TimeUnit.MINUTES) || pip.exitValue() != 0) {
            throw new AssertionError("the oracle huggingface_hub (Python) is missing and could not be installed from "
                    + WHEELS + ": " + output);
        }
    }

    @BeforeEach
    void startHub() {
        hub = MockHub.start();
        hub.model(REPO).lfs("tiny-Q4_K_M.gguf", q4).git("config.json", "{\"a\":1}".getBytes());
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    record Result(int exitCode, String output) {}

    private static Result python(String code, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", SITE.toString());
        builder.environment().put("HF_HUB_DISABLE_TELEMETRY", "1");
        builder.environment().remove("HF_TOKEN");
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + output);
        }
        return new Result(p.exitValue(), output.strip());
    }

    private Map<String, String> pythonEnv(boolean offline) {
        return Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_CACHE", cache.toString(),
                "HF_HUB_OFFLINE", offline ? "1" : "0");
    }

    @Test
    void kopiUsesWhatPythonDownloaded() throws Exception {
        Result py = python("from huggingface_hub import hf_hub_download\n"
                + "print(hf_hub_download('" + REPO + "', 'tiny-Q4_K_M.gguf'))\n"
                + "print(hf_hub_download('" + REPO + "', 'config.json'))", pythonEnv(false));
        assertThat(py.exitCode).as(py.output).isZero();
        List<String> pythonPaths = py.output.lines().toList();

        HubClient offline = HubFixture.client(HubFixture.config(hub, cache).withOffline(true));
        PullResult kopi = offline.pull(ModelSpec.parse(REPO + ":Q4_K_M"), "main", ProgressListener.NONE);

        assertThat(kopi.modelPath()).hasToString(pythonPaths.get(pythonPaths.size() - 2));
        assertThat(Files.readAllBytes(kopi.modelPath())).isEqualTo(q4);
        CachedRepo listed = offline.cache().find(RepoId.model(REPO)).orElseThrow();
        assertThat(listed.current().orElseThrow().refs()).containsExactly("main");
        assertThat(listed.current().orElseThrow().files()).extracting(CachedFile::path)
                .containsExactly("config.json", "tiny-Q4_K_M.gguf");
    }

    @Test
    void kopiWaitsWhilePythonHoldsTheBlobLockAndThenUsesPythonsDownload() throws Exception {
        String sha = MockHub.sha256Hex(q4);
        Path lock = cache.resolve(".locks/models--aisingapore--Tiny-SEA-LION-GGUF/" + sha + ".lock");
        Path blob = cache.resolve("models--aisingapore--Tiny-SEA-LION-GGUF/blobs/" + sha);
        Files.createDirectories(lock.getParent());
        Files.createDirectories(blob.getParent());
        Path source = Files.write(cache.resolve("source.bin"), q4);
        ProcessBuilder builder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import os, shutil, sys",
                "from filelock import FileLock",
                "lock = FileLock(sys.argv[1])",
                "lock.acquire()",
                "print('locked', flush=True)",
                "sys.stdin.readline()",
                "shutil.copyfile(sys.argv[3], sys.argv[2] + '.incomplete')",
                "os.replace(sys.argv[2] + '.incomplete', sys.argv[2])",
                "lock.release()"), lock.toString(), blob.toString(), source.toString());
        builder.environment().put("PYTHONPATH", SITE.toString());
        Process python = builder.redirectErrorStream(true).start();
        var pythonOut = new java.io.BufferedReader(new java.io.InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        assertThat(pythonOut.readLine()).isEqualTo("locked");

        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            HubClient client = HubFixture.client(HubFixture.config(hub, cache));
            var pull = pool.submit(() -> client.pull(ModelSpec.parse(REPO + ":Q4_K_M"), "main", ProgressListener.NONE));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hub.requests().stream().noneMatch(r -> r.method().equals("HEAD") && r.path().endsWith("tiny-Q4_K_M.gguf"))) {
                assertThat(System.nanoTime()).as("kopi never asked for the file").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(500); // time enough to download 200 kB, were the lock not held

            assertThat(pull.isDone()).as("kopi must wait for the lock Python holds").isFalse();
            assertThat(hub.downloads("tiny-Q4_K_M.gguf")).isZero();

            python.getOutputStream().write('\n');
            python.getOutputStream().flush();
            PullResult result = pull.get(60, TimeUnit.SECONDS);

            assertThat(Files.readAllBytes(result.modelPath())).isEqualTo(q4);
            assertThat(hub.downloads("tiny-Q4_K_M.gguf")).isZero();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).isZero();
        } finally {
            pool.shutdownNow();
            python.destroyForcibly();
        }
    }

    @Test
    void pythonUsesWhatKopiPulled() throws Exception {
        HubClient client = HubFixture.client(HubFixture.config(hub, cache));
        PullResult kopi = client.pull(ModelSpec.parse(REPO + ":Q4_K_M"), "main", ProgressListener.NONE);
        client.pull(ModelSpec.parse(REPO + ":config.json"), "main", ProgressListener.NONE);
        int requests = hub.requests().size();

        Result py = python("from huggingface_hub import hf_hub_download, scan_cache_dir\n"
                + "print(hf_hub_download('" + REPO + "', 'tiny-Q4_K_M.gguf'))\n"
                + "info = scan_cache_dir()\n"
                + "repo = next(iter(info.repos))\n"
                + "print(repo.repo_id, repo.repo_type, repo.size_on_disk, sorted(repo.refs), len(info.warnings))\n"
                + "rev = next(iter(repo.revisions))\n"
                + "print(sorted(f.file_name for f in rev.files))", pythonEnv(true));

        assertThat(py.exitCode).as(py.output).isZero();
        List<String> lines = new ArrayList<>(py.output.lines().toList());
        assertThat(lines.get(lines.size() - 3)).isEqualTo(kopi.modelPath().toString());
        assertThat(lines.get(lines.size() - 2)).isEqualTo(REPO + " model " + (q4.length + 7) + " ['main'] 0");
        assertThat(lines.getLast()).isEqualTo("['config.json', 'tiny-Q4_K_M.gguf']");
        assertThat(hub.requests()).hasSize(requests);
    }
}
