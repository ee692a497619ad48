package dev.kopi.eval.backend;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Spaces request starts evenly so that no more than {@code perMinute} start in any minute (the SEA-LION API allows
 * 10 a minute). Even spacing, rather than bursts, keeps a server's sliding-window limiter from ever refusing.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final ReentrantLock lock = new ReentrantLock(true);
    private long nextStart;
    private boolean started;

    /** Sleeps for a number of nanoseconds; replaceable in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    public RateLimiter(double perMinute) {
        this(perMinute, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    public RateLimiter(double perMinute, LongSupplier clock, Sleeper sleeper) {
        if (!(perMinute > 0)) {
            throw new IllegalArgumentException("requests per minute must be positive, got " + perMinute);
        }
        this.intervalNanos = (long) (60e9 / perMinute);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Blocks until the caller may start a request. */
    public void acquire() throws InterruptedException {
        long wait;
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (!started || now - nextStart >= 0) {
                nextStart = now;
                started = true;
            }
            wait = nextStart - now;
            nextStart += intervalNanos;
        } finally {
            lock.unlock();
        }
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }
}
