package dev.strata.blockfile;

import dev.strata.storage.ObjectStoreException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for object-store calls run on virtual threads, rethrowing the first failure as it was thrown. */
final class Futures {

    private Futures() {}

    static void awaitAll(List<? extends Future<?>> futures, String what) {
        for (Future<?> f : futures) {
            await(f, what);
        }
    }

    static <T> T await(Future<T> f, String what) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ObjectStoreException(what + " failed", null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted: " + what, null, e);
        }
    }
}
