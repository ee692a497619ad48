package dev.kopi.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardTest {

    static Path run(Path dir, String model, double sea, double se, double th) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scores.json"), """
                {"model": "%s", "languages": {"th": {"competencies": {}, "mean": %s, "stderr": 0.5, "mean_list": [1]}},
                 "mean": %s, "stderr": %s, "sea_mean": %s, "sea_stderr": %s, "skipped": {}}
                """.formatted(model, th, sea, se, sea, se));
        return dir;
    }

    @Test
    void ranksBySeaAverageWithStandardErrors(@TempDir Path tmp) throws Exception {
        Leaderboard board = Leaderboard.of(List.of(
                run(tmp.resolve("a"), "gemma-sea-lion", 61.5, 0.42, 58.0),
                run(tmp.resolve("b"), "qwen-sea-lion-v4", 66.25, 0.31, 63.5)));
        assertThat(board.rows()).extracting(Leaderboard.Row::model).containsExactly("qwen-sea-lion-v4", "gemma-sea-lion");
        assertThat(board.text()).contains("1    qwen-sea-lion-v4      66.25±0.31      63.50±0.50");
        assertThat(board.html()).contains("<svg").contains("66.25±0.31");
        assertThatThrownBy(() -> Leaderboard.of(List.of(tmp.resolve("nothing")))).hasMessageContaining("has no scores.json");
    }
}
