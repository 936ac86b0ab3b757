package dev.strata.storage;

import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work another thread does, with its failure rethrown as thrown, not wrapped. */
public final class Futures {

    private Futures() {}

    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The future's value; a RuntimeException it failed with is rethrown as it was thrown, any other failure
     * (or an interrupt) becomes an IllegalStateException saying {@code what} was being done.
     */
    public static <T> T await(Future<T> f, String what) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    /**
     * Waits for every future, failed or not, then returns their values in order or rethrows the first failure
     * ({@link #join}). Unlike waiting in order, nothing the futures do is still running when this throws: a
     * caller that cleans up after a failure does not race writes that were still under way.
     */
    public static <T> List<T> joinAll(List<CompletableFuture<T>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        return futures.stream().map(Futures::join).toList();
    }

    /** Waits for every future ({@link #await} each), so none is left running when this returns normally. */
    public static void awaitAll(List<? extends Future<?>> futures, String what) {
        for (Future<?> f : futures) {
            await(f, what);
        }
    }
}
