package dev.kopi.hub;

import dev.kopi.testkit.MockHub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Download throughput of kopi against the anchor, Python's huggingface_hub, from the same mock hub on loopback:
 * one LFS file of {@code args[0]} MB, {@code args[1]} runs each, median seconds and MB/s. kopi also hashes every
 * byte (SHA-256); huggingface_hub does not. Run with the test classpath; needs the huggingface_hub that
 * PythonCacheCompatibilityTest installs into target/python-hub.
 */
public final class PullBenchmark {
    private PullBenchmark() {}

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[] content = MockHub.bytes(megabytes * 1_000_000, 42);
        try (MockHub hub = MockHub.start()) {
            hub.model("bench/model-GGUF").lfs("model-Q4_K_M.gguf", content);
            List<Double> kopi = new ArrayList<>();
            List<Double> python = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                Path cache = Files.createTempDirectory("kopi-bench");
                long start = System.nanoTime();
                new HubClient(HubFixture.config(hub, cache)).pull(ModelSpec.parse("bench/model-GGUF:Q4_K_M"), "main",
                        ProgressListener.NONE);
                kopi.add((System.nanoTime() - start) / 1e9);

                Path pyCache = Files.createTempDirectory("py-bench");
                ProcessBuilder builder = new ProcessBuilder("python3", "-c",
                        "import time\nfrom huggingface_hub import hf_hub_download\nt=time.perf_counter()\n"
                                + "hf_hub_download('bench/model-GGUF', 'model-Q4_K_M.gguf')\nprint(time.perf_counter()-t)")
                        .redirectErrorStream(true);
                builder.environment().put("PYTHONPATH", Path.of("target", "python-hub").toAbsolutePath().toString());
                builder.environment().put("HF_ENDPOINT", hub.endpoint().toString());
                builder.environment().put("HF_HUB_CACHE", pyCache.toString());
                builder.environment().put("HF_HUB_DISABLE_PROGRESS_BARS", "1");
                Process p = builder.start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                p.waitFor(10, TimeUnit.MINUTES);
                python.add(Double.parseDouble(out.lines().reduce((a, b) -> b).orElseThrow()));
            }
            double k = median(kopi);
            double py = median(python);
            System.out.printf(Locale.ROOT, "%d MB, %d runs: kopi %.2f s (%.0f MB/s), huggingface_hub %.2f s (%.0f MB/s), "
                    + "ratio kopi/python time %.2f%n", megabytes, runs, k, megabytes / k, py, megabytes / py, k / py);
            System.out.println("kopi runs " + kopi + ", python runs " + python);
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
