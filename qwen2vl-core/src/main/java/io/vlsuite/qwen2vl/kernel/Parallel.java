package io.vlsuite.qwen2vl.kernel;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Runs independent index ranges on the common fork-join pool (plus the calling thread). */
public final class Parallel {

    /**
     * Below this many multiply-adds (~30 µs on one core) a fork-join round trip costs about as much as it saves.
     */
    static final long MIN_PARALLEL_WORK = 1L << 20;

    private Parallel() {
    }

    public static int threads() {
        return Math.max(1, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /** Calls {@code body} for every task index; in parallel when {@code totalWork} justifies it. */
    public static void forEach(int tasks, long totalWork, IntConsumer body) {
        if (tasks <= 1 || totalWork < MIN_PARALLEL_WORK || threads() == 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        } else {
            IntStream.range(0, tasks).parallel().forEach(body);
        }
    }
}
