package dev.kopi.template;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Python Jinja2 3.1 rendering templates as Hugging Face's apply_chat_template does ({@code hf_render.py}), in one
 * long-lived python3 process shared by all tests of the JVM. A missing python3 or jinja2 fails the test.
 */
final class Jinja2Oracle {
    /** The fixed "now" both sides render with, so that strftime_now is deterministic. */
    static final LocalDateTime NOW = LocalDateTime.of(2024, 7, 26, 10, 0, 0);

    /** Jinja2's result: the rendered text, or the type and message of the exception it raised. */
    record Result(String output, String errorType, String errorMessage) {
        boolean failed() {
            return errorType != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Jinja2Oracle instance;

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader replies;

    private Jinja2Oracle() throws IOException {
        Path script = Files.createTempFile("hf_render", ".py");
        try (InputStream in = Jinja2Oracle.class.getResourceAsStream("hf_render.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        process = new ProcessBuilder("python3", "-u", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    }

    static synchronized Jinja2Oracle get() {
        if (instance == null) {
            try {
                instance = new Jinja2Oracle();
            } catch (IOException e) {
                throw new AssertionError("cannot start the Jinja2 oracle (python3 with jinja2 3.1 is required)", e);
            }
        }
        return instance;
    }

    synchronized Result render(String template, Map<String, ?> variables) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("template", template);
        request.put("variables", variables);
        request.put("now", NOW.toString());
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            String line = replies.readLine();
            if (line == null) {
                throw new AssertionError("the Jinja2 oracle exited (is jinja2 installed for python3?)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = JSON.readValue(line, Map.class);
            if (reply.containsKey("error")) {
                @SuppressWarnings("unchecked")
                Map<String, String> error = (Map<String, String>) reply.get("error");
                return new Result(null, error.get("type"), error.get("message"));
            }
            return new Result((String) reply.get("output"), null, null);
        } catch (IOException e) {
            throw new AssertionError("the Jinja2 oracle failed", e);
        }
    }
}
