package dev.strata.blockfile;

import dev.strata.storage.BlockCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Puts block objects concurrently (object-store latency, not bandwidth, bounds a commit of many blocks),
 * with at most {@link #MAX_IN_FLIGHT} encoded blocks held in memory at once. Each block uploaded is also written
 * through to the cache's disk tier: the node that wrote a version is the one that reads it next (its queries, the
 * warm graph's build), and a block it just wrote is then a local read instead of a GET.
 */
final class BlockUploader implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 8;

    private final BlockCache cache;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final List<Future<?>> puts = new ArrayList<>();

    BlockUploader(BlockCache cache) {
        this.cache = cache;
    }

    void put(String key, byte[] data) {
        inFlight.acquireUninterruptibly();
        puts.add(executor.submit(() -> {
            try {
                cache.store().put(key, data);
                cache.putBytes(key, data);
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
