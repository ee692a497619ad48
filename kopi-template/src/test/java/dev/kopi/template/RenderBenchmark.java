package dev.kopi.template;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kopi.testkit.Fixtures;

/**
 * How long rendering a real chat template takes (a tool-use conversation of six messages with two tool schemas),
 * against the anchor: Python Jinja2 in transformers' environment rendering the same request, timed by
 * {@code jinja2_bench.py} in the same run. {@code main} prints the anchor, then runs JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RenderBenchmark {
    static final String[] TEMPLATES = {
        "Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct", "openai-gpt-oss-120b", "google-gemma-4-31B-it",
    };

    @Param({"Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct", "openai-gpt-oss-120b", "google-gemma-4-31B-it"})
    public String template;

    private String source;
    private ChatTemplate parsed;
    private Map<String, Object> variables;

    static Map<String, Object> variables() {
        return ChatRequest.of(Conversations.toolUse()).withTools(Conversations.TOOLS)
                .withSpecialTokens(Map.of("bos_token", "<s>", "eos_token", "</s>")).variables();
    }

    static String source(String name) throws Exception {
        return Files.readString(Fixtures.llamaCppSource().resolve("models/templates/" + name + ".jinja"));
    }

    @Setup
    public void setUp() throws Exception {
        source = source(template);
        parsed = ChatTemplate.parse(source);
        variables = variables();
    }

    @Benchmark
    public String render() {
        return parsed.render(variables);
    }

    @Benchmark
    public String parseAndRender() {
        return ChatTemplate.parse(source).render(variables);
    }

    /** Times Jinja2 on the same requests, then runs the JMH benchmarks. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jinja2-bench");
        for (String script : new String[] {"hf_render.py", "jinja2_bench.py"}) {
            try (InputStream in = RenderBenchmark.class.getResourceAsStream(script)) {
                Files.write(dir.resolve(script), in.readAllBytes());
            }
        }
        Process python = new ProcessBuilder("python3", dir.resolve("jinja2_bench.py").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectMapper json = new ObjectMapper();
        try (Writer requests = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String name : TEMPLATES) {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("name", name);
                request.put("template", source(name));
                request.put("variables", variables());
                request.put("now", Jinja2Oracle.NOW.toString());
                requests.write(json.writeValueAsString(request) + "\n");
            }
        }
        try (BufferedReader results = new BufferedReader(new InputStreamReader(python.getInputStream(),
                StandardCharsets.UTF_8))) {
            System.out.println("Jinja2 (anchor), median microseconds per render:");
            results.lines().forEach(line -> System.out.println("  " + line));
        }
        python.waitFor();
        new Runner(new OptionsBuilder().include(RenderBenchmark.class.getSimpleName()).build()).run();
    }
}
