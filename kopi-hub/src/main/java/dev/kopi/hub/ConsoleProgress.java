package dev.kopi.hub;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Download progress for people: on a terminal, one bar redrawn in place with speed and time left; otherwise
 * (a log, CI) a plain line every few seconds.
 */
public final class ConsoleProgress implements ProgressListener {
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long startNanos;

    private int files;
    private int filesDone;
    private long total = -1;
    private long done;
    private long resumed;
    private long lastPrint;
    private boolean barShown;

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, terminal ? Duration.ofMillis(200) : Duration.ofSeconds(5), System::nanoTime);
    }

    ConsoleProgress(PrintWriter out, boolean terminal, Duration interval, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastPrint = startNanos;
    }

    @Override
    public synchronized void planned(int fileCount, long totalBytes) {
        files = fileCount;
        total = totalBytes;
    }

    @Override
    public synchronized void started(String path, long size, long alreadyHave) {
        done += alreadyHave;
        resumed += alreadyHave;
    }

    @Override
    public synchronized void advanced(String path, long bytes) {
        done += bytes;
        long now = clock.getAsLong();
        if (now - lastPrint >= intervalNanos) {
            lastPrint = now;
            print(false);
        }
    }

    @Override
    public synchronized void finished(String path) {
        filesDone++;
        if (filesDone == files) {
            print(true);
        }
    }

    @Override
    public synchronized void note(String message) {
        if (terminal && barShown) {
            out.print("\r\033[2K");
        }
        out.println(message);
        barShown = false;
    }

    /** The status line, e.g. {@code 45% 2.3 GB/5.0 GB 38.2 MB/s ETA 1m12s (1/3 files)}. */
    synchronized String status() {
        double seconds = Math.max(1e-3, (clock.getAsLong() - startNanos) / 1e9);
        double speed = (done - resumed) / seconds;
        StringBuilder line = new StringBuilder();
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            if (terminal) {
                int filled = percent * BAR_WIDTH / 100;
                line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            }
            line.append(percent).append("% ").append(Sizes.human(done)).append('/').append(Sizes.human(total));
        } else {
            line.append(Sizes.human(done));
        }
        line.append("  ").append(Sizes.human((long) speed)).append("/s");
        if (total > 0 && speed > 0 && done < total) {
            line.append("  ETA ").append(duration((long) ((total - done) / speed)));
        }
        line.append("  (").append(filesDone).append('/').append(files).append(files == 1 ? " file)" : " files)");
        return line.toString();
    }

    private void print(boolean last) {
        if (terminal) {
            out.print("\r\033[2K" + status());
            if (last) {
                out.println();
            }
            barShown = !last;
        } else {
            out.println("pull: " + status());
        }
        out.flush();
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
