package dev.strata.engine;

import dev.strata.blockfile.BlockWarmup;
import dev.strata.nativeio.NativeWarmup;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fresh JVM's first query does once for every later one (the native calls linked, the block codec's classes
 * loaded), done on a thread of its own as soon as a node has opened, while a server starts its HTTP side or an
 * application gets ready to query. Run beside the open itself it slowed a fresh {@code Strata.open} by ~0.27 s
 * on two cores.
 */
final class FirstQueryWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(FirstQueryWarmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private FirstQueryWarmup() {}

    /** Starts the warm-up once per JVM: a node opened later in the same JVM finds it done. */
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
