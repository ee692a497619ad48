package dev.kopi.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.hub.HubClient;
import dev.kopi.hub.HubConfig;
import dev.kopi.testkit.MockHub;

/** A gated dataset with a parquet eval split, served by the testkit's mock hub on 127.0.0.1. */
class HubDatasetFilesTest {

    @Test
    void loadsGatedParquetSplitWithToken(@TempDir Path tmp) throws Exception {
        Path parquet = tmp.resolve("eval.parquet");
        ParquetRows.write(List.of(DatasetLoaderTest.row("1", "Positif", "bagus")), parquet);
        String card = "---\nconfigs:\n- config_name: id\n  data_files:\n  - split: eval\n    path: id/eval-*\n---\n";
        try (MockHub mock = MockHub.start()) {
            mock.dataset("aisingapore/NLU-Sentiment-Analysis")
                    .git("README.md", card.getBytes())
                    .lfs("id/eval-00000-of-00001.parquet", Files.readAllBytes(parquet))
                    .gated();
            HubConfig config = HubConfig.fromEnvironment(java.util.Map.of(), tmp).withEndpoint(mock.endpoint()).withCacheDir(tmp.resolve("cache"));
            DatasetLoader withToken = new DatasetLoader(tmp, new HubDatasetFiles(new HubClient(config.withToken(MockHub.TOKEN)), "main"));
            List<EvalItem> items = withToken.load("aisingapore/NLU-Sentiment-Analysis", "id", DatasetLoader.EVAL_SPLIT);
            assertThat(items).extracting(EvalItem::labelText).containsExactly("Positif");
            DatasetLoader withoutToken = new DatasetLoader(tmp, new HubDatasetFiles(new HubClient(config.withCacheDir(tmp.resolve("c2"))), "main"));
            assertThatThrownBy(() -> withoutToken.load("aisingapore/NLU-Sentiment-Analysis", "id", DatasetLoader.EVAL_SPLIT))
                    .hasMessageContaining("aisingapore/NLU-Sentiment-Analysis");
        }
    }
}
