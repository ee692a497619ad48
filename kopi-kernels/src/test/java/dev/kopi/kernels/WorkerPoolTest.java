package dev.kopi.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int job = 0; job < 300; job++) {
                int count = 1 + job % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(count);
                pool.parallelFor(count, 1 + job % 5, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertThat(hits.get(i)).as("job %d index %d", job, i).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aTaskFailureReachesTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(100, 1, (from, to) -> {
                if (from == 57) {
                    throw new IllegalStateException("boom at 57");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 57");
            int[] sum = new int[1];
            pool.parallelFor(10, 10, (from, to) -> sum[0] += to - from);
            assertThat(sum[0]).isEqualTo(10);
        }
    }

    @Test
    void nestedCallsRunInlineOnWhicheverThreadMakesThem() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(8 * 50);
            pool.parallelFor(8, 1, (from, to) -> {
                for (int outer = from; outer < to; outer++) {
                    int base = outer * 50;
                    pool.parallelFor(50, 5, (a, b) -> {
                        for (int i = a; i < b; i++) {
                            hits.incrementAndGet(base + i);
                        }
                    });
                }
            });
            for (int i = 0; i < hits.length(); i++) {
                assertThat(hits.get(i)).as("index %d", i).isEqualTo(1);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new WorkerPool(0)).hasMessageContaining("at least 1");
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThatThrownBy(() -> pool.parallelFor(-1, (a, b) -> { })).hasMessageContaining("count -1");
        }
    }
}
