package dev.kopi.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

class DatasetLoaderTest {

    static ObjectNode row(String id, String label, String text) {
        ObjectNode row = JsonLines.JSON.createObjectNode();
        row.put("id", id);
        row.put("label", label);
        row.putArray("prompts").addObject().put("text", text).put("n", 1);
        row.putObject("metadata").put("subcategory", "x");
        return row;
    }

    /** A dataset repository on local disk standing in for the hub. */
    record LocalRepo(Path root, List<String> fetched) implements DatasetFiles {
        @Override
        public List<String> list(String dataset) throws IOException {
            try (var walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
            }
        }

        @Override
        public Path fetch(String dataset, String path) {
            fetched.add(path);
            return root.resolve(path);
        }
    }

    @Test
    void readsParquetWithNestedPromptsFromDeclaredSplits(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("th"));
        ParquetRows.write(List.of(row("1", "แง่บวก", "ดีมาก"), row("2", "แง่ลบ", "แย่")), repo.resolve("th/eval-00000-of-00001.parquet"));
        ParquetRows.write(List.of(row("e1", "แง่บวก", "ชอบ")), repo.resolve("th/examples-00000-of-00001.parquet"));
        Files.writeString(repo.resolve("README.md"), """
                ---
                configs:
                - config_name: th
                  data_files:
                  - split: eval
                    path: th/eval-*
                  - split: examples
                    path: th/examples-*
                ---
                # card
                """);
        LocalRepo hub = new LocalRepo(repo, new ArrayList<>());
        DatasetLoader loader = new DatasetLoader(tmp, hub);
        List<EvalItem> items = loader.load("aisingapore/NLU-Sentiment-Analysis", "th", DatasetLoader.EVAL_SPLIT);
        assertThat(items).extracting(EvalItem::id).containsExactly("1", "2");
        assertThat(items.get(0).prompts().get(0).path("text").asText()).isEqualTo("ดีมาก");
        assertThat(items.get(0).labelText()).isEqualTo("แง่บวก");
        assertThat(items.get(1).metadata().path("subcategory").asText()).isEqualTo("x");
        assertThat(loader.load("aisingapore/NLU-Sentiment-Analysis", "th", DatasetLoader.EXAMPLES_SPLIT)).extracting(EvalItem::id).containsExactly("e1");
        assertThatThrownBy(() -> loader.load("aisingapore/NLU-Sentiment-Analysis", "vi", DatasetLoader.EVAL_SPLIT))
                .hasMessageContaining("no 'eval' split for config 'vi'");
    }

    @Test
    void fallsBackToConventionalLayoutAndReadsJsonl(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("my"));
        Files.writeString(repo.resolve("my/eval.jsonl"), JsonLines.JSON.writeValueAsString(row("a", "x", "y")) + "\n");
        DatasetLoader loader = new DatasetLoader(tmp, new LocalRepo(repo, new ArrayList<>()));
        assertThat(loader.load("org/data", "my", "eval")).extracting(EvalItem::id).containsExactly("a");
    }

    @Test
    void badLocalFilesAreNamed(@TempDir Path tmp) throws Exception {
        DatasetLoader loader = new DatasetLoader(tmp, null);
        Files.writeString(tmp.resolve("bad.jsonl"), "{\"id\":1,\"prompts\":[{\"t\":1}]}\n{oops\n");
        assertThatThrownBy(() -> loader.load("bad.jsonl", "id", "eval")).hasMessageContaining("bad.jsonl:2: malformed JSON");
        Files.write(tmp.resolve("utf.jsonl"), new byte[] {'{', '"', (byte) 0xC3, '"', '}', '\n'});
        assertThatThrownBy(() -> loader.load("utf.jsonl", "id", "eval")).hasMessageContaining("not valid UTF-8");
        Files.writeString(tmp.resolve("noprompts.jsonl"), "{\"id\":\"z\",\"label\":\"a\"}\n");
        assertThatThrownBy(() -> loader.load("noprompts.jsonl", "id", "eval")).hasMessageContaining("row z has no 'prompts' list");
        Files.writeString(tmp.resolve("broken.parquet"), "PAR1 not really");
        assertThatThrownBy(() -> loader.load("broken.parquet", "id", "eval")).hasMessageContaining("not a readable parquet file");
        assertThatThrownBy(() -> loader.load("missing.jsonl", "id", "eval")).hasMessageContaining("data file missing.jsonl not found");
        assertThatThrownBy(() -> loader.load("org/remote", "id", "eval")).hasMessageContaining("no Hugging Face access");
    }
}
