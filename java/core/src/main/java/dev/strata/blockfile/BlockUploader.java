package dev.strata.blockfile;

import dev.strata.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Puts block objects concurrently (object-store latency, not bandwidth, bounds a commit of many blocks),
 * with at most {@link #MAX_IN_FLIGHT} encoded blocks held in memory at once.
 */
final class BlockUploader implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 8;

    private final ObjectStore store;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final List<Future<?>> puts = new ArrayList<>();

    BlockUploader(ObjectStore store) {
        this.store = store;
    }

    void put(String key, byte[] data) {
        inFlight.acquireUninterruptibly();
        puts.add(executor.submit(() -> {
            try {
                store.put(key, data);
            } finally {
                inFlight.release();
            }
        }));
    }

    /** Waits for every put; the first failure is rethrown. */
    void awaitAll() {
        Futures.awaitAll(puts, "block upload");
    }

    @Override
    public void close() {
        executor.close();
    }
}
