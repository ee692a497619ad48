package dev.kopi.eval.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kopi.eval.config.EvalConfigException;
import dev.kopi.eval.data.JsonLines;

class AppendLogTest {

    @Test
    void tornLastLineIsCutAndAppendingContinues(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("log.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"turn\":1}\n{\"id\":\"b\",\"tu");
        try (AppendLog log = AppendLog.open(file)) {
            assertThat(log.existing()).hasSize(1);
            log.append(JsonLines.JSON.createObjectNode().put("id", "b").put("turn", 1).put("content", "x\ny"));
        }
        assertThat(Files.readString(file)).isEqualTo("{\"id\":\"a\",\"turn\":1}\n{\"id\":\"b\",\"turn\":1,\"content\":\"x\\ny\"}\n");
        try (AppendLog log = AppendLog.open(file)) {
            assertThat(log.existing()).hasSize(2);
        }
    }

    @Test
    void corruptCompleteLineIsAnErrorNamingTheLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("log.jsonl");
        Files.writeString(file, "{\"id\":\"a\"}\nnot json\n{\"id\":\"b\"}\n");
        assertThatThrownBy(() -> AppendLog.open(file)).isInstanceOf(EvalConfigException.class).hasMessageContaining("log.jsonl:2: corrupt record");
    }
}
