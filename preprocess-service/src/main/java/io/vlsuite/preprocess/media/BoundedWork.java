package io.vlsuite.preprocess.media;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs decoding on a fixed number of platform threads with a wall-clock limit. The thread count bounds how many
 * decoded rasters exist at once (memory); the limit bounds how long a request waits for a decode. A decoder call
 * is not interruptible, so on timeout the request is answered at once and the worker thread finishes (or is
 * interrupted at its next check) in the background; its result is dropped.
 */
final class BoundedWork implements AutoCloseable {

    private final ExecutorService pool;

    BoundedWork(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "media-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    <T> T run(Callable<T> work, Duration limit, String timeoutCode, String what) {
        Future<T> future = pool.submit(work);
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new MediaIntakeException(timeoutCode, 422, what + " took longer than " + limit.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MediaIntakeException(timeoutCode, 503, what + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed", cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
