package dev.strata.engine;

import dev.strata.blockfile.BlockWarmup;
import dev.strata.nativeio.NativeWarmup;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fresh JVM's first query does once for every later one (the native calls linked, the block codec's classes
 * loaded), done on a thread of its own while the node opens, which mostly waits on one core for RocksDB, the lease
 * and the catalog. 10k records, fresh node with its AOT cache: first query 660-1,065 ms before, 490-595 ms after.
 */
final class FirstQueryWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(FirstQueryWarmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private FirstQueryWarmup() {}

    /** Starts the warm-up once per JVM: a second node opened in the same JVM finds it done. */
    static void startOnce() {
        if (STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("strata-first-query-warmup").start(FirstQueryWarmup::run);
        }
    }

    private static void run() {
        long start = System.nanoTime();
        try {
            NativeWarmup.run();
            BlockWarmup.run();
            LOG.debug("first-query warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            // whatever failed here fails again, reported, on the call that needs it
            LOG.debug("first-query warm-up stopped: {}", e.toString());
        }
    }
}
