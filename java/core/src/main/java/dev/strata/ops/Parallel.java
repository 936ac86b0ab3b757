package dev.strata.ops;

import dev.strata.storage.ObjectStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs one object-store task per item on virtual threads, at most {@code concurrency} at a time (an
 * S3 round trip dominates each, so a walk of many objects must not be sequential), and rethrows the
 * first failure as it was thrown.
 */
final class Parallel {

    private Parallel() {}

    static <T> void forEach(Collection<T> items, int concurrency, String what, Consumer<T> task) {
        Semaphore permits = new Semaphore(concurrency);
        List<Future<?>> futures = new ArrayList<>(items.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        task.accept(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                await(f, what);
            }
        }
    }

    private static void await(Future<?> f, String what) {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ObjectStoreException(what + " failed", null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted: " + what, null, e);
        }
    }
}
