package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.data.JsonLines;

/**
 * Kills an evaluation with SIGKILL in the middle of its first run, resumes it, and checks that the final scores are
 * identical to an uninterrupted run's, with every answer logged exactly once.
 */
class ResumeAfterKillTest {

    @Test
    void killedRunResumesToTheSameScores(@TempDir Path tmp) throws Exception {
        Path tasks = tmp.resolve("tasks");
        FixtureTasks.write(tasks);
        try (MockChatServer model = new MockChatServer(MockChatServer.byMarker(FixtureTasks.ANSWERS), 40);
                MockChatServer metricx = FixtureTasks.metricx()) {
            long start = System.currentTimeMillis();
            Path killed = tmp.resolve("killed");
            Process child = child(tasks, killed, model, metricx);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (responseLines(killed) < 12 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(child.isAlive()).as("the child was still working when killed").isTrue();
            child.destroyForcibly().waitFor();
            assertThat(Files.exists(killed.resolve("scores.json"))).isFalse();
            int servedBeforeResume = model.served.get();

            System.err.printf("killed after %d ms%n", System.currentTimeMillis() - start);
            Process resumed = child(tasks, killed, model, metricx);
            assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(resumed.exitValue()).as(new String(resumed.getErrorStream().readAllBytes())).isZero();

            System.err.printf("resumed after %d ms%n", System.currentTimeMillis() - start);
            Path clean = tmp.resolve("clean");
            ResumeChild.main(new String[] {tasks.toString(), clean.toString(), model.baseUrl(), metricx.baseUrl()});

            assertThat(scores(killed)).isEqualTo(scores(clean));
            // each (item, turn) answered once per run: 2 runs x 28 turns
            int perRun = 28;
            assertThat(responseLines(killed)).isEqualTo(2 * perRun);
            assertThat(duplicateKeys(killed)).isEmpty();
            // the resumed process asked only for what the killed one had not logged (the clean run asked for all)
            assertThat(model.served.get() - servedBeforeResume).isLessThanOrEqualTo(2 * perRun - 12 + 2 * perRun);
        }
    }

    private static Process child(Path tasks, Path out, MockChatServer model, MockChatServer metricx) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", classpath, ResumeChild.class.getName(),
                tasks.toString(), out.toString(), model.baseUrl(), metricx.baseUrl())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static List<Path> logs(Path out) throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> p.toString().contains("/responses/") && p.toString().endsWith(".jsonl")).toList();
        }
    }

    private static long responseLines(Path out) throws IOException {
        long lines = 0;
        for (Path log : logs(out)) {
            lines += Files.readString(log).chars().filter(c -> c == '\n').count();
        }
        return lines;
    }

    private static List<String> duplicateKeys(Path out) throws IOException {
        List<String> duplicates = new ArrayList<>();
        for (Path log : logs(out)) {
            Set<String> keys = new HashSet<>();
            for (ObjectNode record : JsonLines.read(log)) {
                String key = record.path("id").asText() + "#" + record.path("turn").asInt();
                if (!keys.add(key)) {
                    duplicates.add(log + ":" + key);
                }
            }
        }
        return duplicates;
    }

    private static JsonNode scores(Path out) throws IOException {
        return JsonLines.JSON.readTree(out.resolve("scores.json").toFile());
    }
}
