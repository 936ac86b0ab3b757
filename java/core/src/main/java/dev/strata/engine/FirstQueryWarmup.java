package dev.strata.engine;

import dev.strata.blockfile.BlockWarmup;
import dev.strata.nativeio.NativeWarmup;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fresh JVM's first query does once for every later one, done on a thread of its own as soon as a node has
 * opened, while a server starts its HTTP side or an application gets ready to query: the native calls linked, and
 * (for a server, see {@link EmbeddedStrata#warmUpBlockReads()}) the block codec's Arrow classes loaded. Run beside
 * the open itself it slowed a fresh {@code Strata.open} by ~0.27 s on two cores.
 */
final class FirstQueryWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(FirstQueryWarmup.class);
    private static final AtomicBoolean NATIVE_STARTED = new AtomicBoolean();
    private static final AtomicBoolean BLOCKS_STARTED = new AtomicBoolean();

    private FirstQueryWarmup() {}

    /** Links the query path's native calls, once per JVM: a node opened later in the same JVM finds it done. */
    static void startNativeOnce() {
        startOnce(NATIVE_STARTED, "native calls", NativeWarmup::run);
    }

    /** Encodes and decodes a tiny block of each kind, once per JVM. */
    static void startBlocksOnce() {
        startOnce(BLOCKS_STARTED, "block codec", BlockWarmup::run);
    }

    private static void startOnce(AtomicBoolean started, String what, Runnable warmup) {
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("strata-first-query-warmup").start(() -> {
                long start = System.nanoTime();
                try {
                    warmup.run();
                    LOG.debug("first-query warm-up of the {} done in {} ms", what, (System.nanoTime() - start) / 1_000_000);
                } catch (RuntimeException | LinkageError e) {
                    // whatever failed here fails again, reported, on the call that needs it
                    LOG.debug("first-query warm-up of the {} stopped: {}", what, e.toString());
                }
            });
        }
    }
}
