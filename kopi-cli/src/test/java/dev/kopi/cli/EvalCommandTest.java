package dev.kopi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.kopi.testkit.Fixtures;

class EvalCommandTest {
    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    static final String CONFIG = """
            sentiment:
              name: sentiment_analysis
              competency: nlu
              metric_class: F1AccMetric
              metric: normalized_accuracy
              languages:
                th:
                  filepath: th.jsonl
                  max_tokens: 16
                  prompt_template:
                    preamble: "ตอบ {answer_tag} ANSWER"
                    task_template: "{text}"
                    answer_template: "{answer_tag} {label}"
                    answer_tag: "คำตอบ:"
            """;

    /** Two positives and two negatives; the endpoint always answers positive: balanced accuracy 0.5, normalised 0. */
    static Path tasks(Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), CONFIG);
        Files.writeString(dir.resolve("task_config.yaml"), "mini:\n  th: [sentiment]\n");
        StringBuilder rows = new StringBuilder();
        String[] labels = {"แง่บวก", "แง่ลบ", "แง่บวก", "แง่ลบ"};
        for (int i = 0; i < labels.length; i++) {
            rows.append("{\"id\":\"").append(i).append("\",\"label\":\"").append(labels[i]).append("\",\"prompts\":[{\"text\":\"x").append(i).append("\"}]}\n");
        }
        Files.writeString(dir.resolve("th.jsonl"), rows);
        return dir;
    }

    static HttpServer endpoint() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"choices\":[{\"message\":{\"content\":\"คำตอบ: แง่บวก\"},\"finish_reason\":\"stop\"}]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void runReportCompare(@TempDir Path tmp) throws Exception {
        Path tasks = tasks(Files.createDirectories(tmp.resolve("tasks")));
        HttpServer server = endpoint();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            int code = Main.run("eval", "run", "--tasks-dir", tasks.toString(), "--suite", "mini", "--endpoint", url,
                    "--model", "org/mini", "--runs", "2", "--quiet", "-o", tmp.resolve("run").toString());
            assertThat(code).as(streams.stderr()).isZero();
            assertThat(streams.stdout()).contains("SEA average 0.00 ± 0.00");
            assertThat(tmp.resolve("run/report.html")).exists();
            assertThat(Main.run("eval", "report", tmp.resolve("run").toString())).isZero();
            assertThat(Main.run("eval", "compare", tmp.resolve("run").toString(), "--html", tmp.resolve("board.html").toString())).isZero();
            assertThat(streams.stdout()).contains("1    org/mini");
            assertThat(tmp.resolve("board.html")).exists();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void errorsAreOneLine(@TempDir Path tmp) {
        int code = Main.run("eval", "run", "--tasks-dir", tmp.resolve("none").toString(), "--suite", "s", "--endpoint",
                "http://127.0.0.1:9/v1", "--model", "m", "-o", tmp.resolve("o").toString());
        assertThat(code).isEqualTo(2);
        assertThat(streams.stderr()).isEqualTo("kopi: tasks dir " + tmp.resolve("none") + " is not a directory" + System.lineSeparator());
        streams.err.reset();
        assertThat(Main.run("eval", "compare", tmp.toString())).isEqualTo(2);
        assertThat(streams.stderr().lines().count()).isEqualTo(1);
    }

    @Test
    void fertilityTable(@TempDir Path tmp) throws Exception {
        Path th = tmp.resolve("th.txt");
        Files.writeString(th, "แมวกินปลา\n");
        int code = Main.run("eval", "fertility", "-t", Fixtures.qwen3Tokenizer().toString(), th.toString(),
                "--html", tmp.resolve("f.html").toString());
        assertThat(code).as(streams.stderr()).isZero();
        assertThat(streams.stdout()).contains("th").contains("tok/word");
        assertThat(Files.readString(tmp.resolve("f.html"))).contains("<svg");
    }
}
