package dev.kopi.hub;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleProgressTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);

    @Test
    void aTerminalGetsABarWithSpeedAndTimeLeft() {
        ConsoleProgress progress = new ConsoleProgress(out, true, Duration.ofMillis(100), nanos::get);
        progress.planned(2, 10_000_000);
        progress.started("a.gguf", 6_000_000, 0);
        nanos.set(2_000_000_000L);
        progress.advanced("a.gguf", 4_000_000);

        assertThat(progress.status()).isEqualTo("[############..................] 40% 4.0 MB/10.0 MB  2.0 MB/s  ETA 3s  (0/2 files)");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\r\033[2K[####");
    }

    @Test
    void aLogGetsPlainPeriodicLinesAndResumedBytesDoNotInflateTheSpeed() {
        ConsoleProgress progress = new ConsoleProgress(out, false, Duration.ofSeconds(5), nanos::get);
        progress.planned(1, 2_000_000);
        progress.started("a.gguf", 2_000_000, 1_000_000);
        nanos.set(1_000_000_000L);
        progress.advanced("a.gguf", 500_000);
        assertThat(bytes.size()).isZero();
        nanos.set(5_000_000_000L);
        progress.advanced("a.gguf", 500_000);
        progress.finished("a.gguf");

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("pull: 100% 2.0 MB/2.0 MB  200 kB/s  (0/1 file)", "pull: 100% 2.0 MB/2.0 MB  200 kB/s  (1/1 file)");
    }

    @Test
    void durationsAndSizesReadNaturally() {
        assertThat(ConsoleProgress.duration(59)).isEqualTo("59s");
        assertThat(ConsoleProgress.duration(72)).isEqualTo("1m12s");
        assertThat(ConsoleProgress.duration(3_700)).isEqualTo("1h01m");
        assertThat(Sizes.human(999)).isEqualTo("999 B");
        assertThat(Sizes.human(16_500_000_000L)).isEqualTo("16.5 GB");
    }
}
