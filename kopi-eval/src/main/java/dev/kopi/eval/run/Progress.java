package dev.kopi.eval.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar with rate and ETA. Work resumed from an earlier run counts as done but not towards the
 * rate, so the ETA reflects this process's speed.
 */
public final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final LongSupplier clock;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final long start;
    private volatile long resumed;
    private volatile long lastDraw;

    public Progress(PrintStream out) {
        this(out, System::nanoTime);
    }

    Progress(PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    public void addTotal(long n) {
        total.addAndGet(n);
    }

    public void resumed(long n) {
        resumed += n;
        done.addAndGet(n);
    }

    public void step() {
        done.incrementAndGet();
        long now = clock.getAsLong();
        if (now - lastDraw >= REDRAW_NANOS || done.get() == total.get()) {
            lastDraw = now;
            draw(now);
        }
    }

    private synchronized void draw(long now) {
        if (out != null) {
            out.print("\r" + line(now));
            out.flush();
        }
    }

    /** The bar as text, e.g. {@code [#####.....] 50/100 2.0/s ETA 0:25}. */
    String line(long now) {
        long d = done.get();
        long t = Math.max(total.get(), 1);
        int width = 30;
        int filled = (int) (width * Math.min(d, t) / t);
        double seconds = (now - start) / 1e9;
        long fresh = d - resumed;
        double rate = seconds > 0 ? fresh / seconds : 0;
        String eta = rate > 0 ? format(Duration.ofSeconds((long) ((t - d) / rate))) : "--:--";
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + d + "/" + total.get()
                + String.format(" %.2f/s ETA %s ", rate, eta);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    /** Ends the bar's line. */
    public void finish() {
        if (out != null) {
            draw(clock.getAsLong());
            out.println();
        }
    }
}
