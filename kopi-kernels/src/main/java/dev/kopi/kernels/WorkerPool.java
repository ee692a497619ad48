package dev.kopi.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of persistent worker threads that split index ranges between them.
 *
 * <p>A forward pass issues hundreds of small parallel operations per token. Waking parked threads for each
 * costs more than many of the operations themselves, so workers spin ({@link Thread#onSpinWait()}) for a short
 * while after finishing a job and only park once the pool has been idle for {@link #SPIN_NANOS}. The calling
 * thread takes part in every job, so a pool of {@code n} threads starts {@code n - 1} workers, and a pool of one
 * runs everything inline.
 *
 * <p>Jobs are handed out in chunks from a shared counter, so a thread that was descheduled does not hold up
 * the others. {@link #parallelFor} may be called from several threads; calls are serialised. A call made from
 * inside a running task (on a worker or on the submitting thread) runs inline on that thread.
 */
public final class WorkerPool implements AutoCloseable {
    /** A piece of work over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 500_000;
    /** Chunks per thread a job is cut into when the caller gives no grain; evens out uneven progress. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int threads;
    private final Thread[] workers;
    /** 1 while worker i is parked (or about to park) waiting for a job. */
    private final AtomicIntegerArray parked;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger busyWorkers = new AtomicInteger();
    private final Object submitLock = new Object();
    /** The thread whose job is running, so that a nested call from its own task runs inline. */
    private volatile Thread submitter;

    // The current job; written before `generation` is bumped, read by workers after they see the bump.
    private RangeTask task;
    private int count;
    private int grain;
    private volatile long generation;
    private volatile Throwable failure;
    private volatile boolean closed;

    /**
     * Starts a pool of {@code threads} threads in total (the caller counts as one).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads - 1);
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            Thread t = new Thread(() -> workLoop(index), "kopi-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Total threads working on each job, the caller included. */
    public int threads() {
        return threads;
    }

    /** Runs {@code task} over {@code [0, count)} in chunks sized to give each thread a few. */
    public void parallelFor(int count, RangeTask task) {
        int grain = Math.max(1, ceilDiv(count, threads * CHUNKS_PER_THREAD));
        parallelFor(count, grain, task);
    }

    /**
     * Runs {@code task} over {@code [0, count)} cut into chunks of {@code grain} indices (the last may be
     * shorter) and returns when all chunks are done. An exception thrown by a task is rethrown here.
     */
    public void parallelFor(int count, int grain, RangeTask task) {
        if (count < 0 || grain < 1) {
            throw new IllegalArgumentException("bad range: count " + count + ", grain " + grain);
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (count == 0) {
            return;
        }
        if (workers.length == 0 || count <= grain || isWorkerThread() || submitter == Thread.currentThread()) {
            task.run(0, count);
            return;
        }
        synchronized (submitLock) {
            submitter = Thread.currentThread();
            this.task = task;
            this.count = count;
            this.grain = grain;
            this.failure = null;
            nextChunk.set(0);
            busyWorkers.set(workers.length);
            generation++;
            for (int i = 0; i < workers.length; i++) {
                if (parked.get(i) == 1) {
                    LockSupport.unpark(workers[i]);
                }
            }
            Throwable mine = null;
            try {
                runChunks();
            } catch (Throwable t) {
                mine = t;
            }
            while (busyWorkers.get() != 0) {
                Thread.onSpinWait();
            }
            this.task = null;
            submitter = null;
            Throwable failed = mine != null ? mine : failure;
            if (failed instanceof RuntimeException re) {
                throw re;
            } else if (failed instanceof Error e) {
                throw e;
            } else if (failed != null) {
                throw new IllegalStateException(failed);
            }
        }
    }

    private void runChunks() {
        RangeTask t = task;
        int n = count;
        int g = grain;
        int chunks = ceilDiv(n, g);
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
            int from = c * g;
            t.run(from, Math.min(n, from + g));
        }
    }

    private void workLoop(int index) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    parked.set(index, 1);
                    if (generation == seen && !closed) {
                        LockSupport.parkNanos(this, 10_000_000L);
                    }
                    parked.set(index, 0);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runChunks();
            } catch (Throwable t) {
                failure = t;
                nextChunk.set(Integer.MAX_VALUE / 2); // stop handing out the remaining chunks
            } finally {
                busyWorkers.decrementAndGet();
            }
        }
    }

    private boolean isWorkerThread() {
        Thread me = Thread.currentThread();
        for (Thread w : workers) {
            if (w == me) {
                return true;
            }
        }
        return false;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Stops the workers; the pool cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
