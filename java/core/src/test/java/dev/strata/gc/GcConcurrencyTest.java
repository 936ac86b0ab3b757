package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectNotFoundException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GC in a loop while a compactor commits copy-on-write versions and readers pin the current version and read every
 * object it names: no read ever finds an object missing, and GC does delete (the test is not vacuous).
 * Real clock, grace period of one second; one reader holds its pin past it.
 */
class GcConcurrencyTest {

    private static final long RUN_MS = 3_500;

    @TempDir
    Path dir;

    @Test
    void readsOfPinnedVersionsNeverMissAnObjectWhileCompactionAndGcRun() throws Exception {
        try (GcFixture node = new GcFixture(dir)) {
            GcFixture.History h = node.newCollection("busy");
            h.commit(List.of(), true, 1);
            GarbageCollector gc = new GarbageCollector(node.catalog, node.cache, node.pins, null,
                    new GcOptions(1, 0, 1_000, 1_000), Clock.systemUTC());
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            AtomicLong deleted = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().name("compactor").start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    h.commit(List.of(i % GcFixture.IDS), i % 3 == 0, 10L * (i + 2));
                }
            }));
            for (int r = 0; r < 3; r++) {
                // reader 0 is a slow query: it holds its pin past the grace period before it reads
                long holdMs = r == 0 ? 1_300 : 0;
                threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                    while (!stop.get()) {
                        readCurrentVersion(node, h, holdMs, missing);
                        reads.incrementAndGet();
                    }
                }));
            }
            threads.add(Thread.ofPlatform().name("gc").start(() -> {
                while (!stop.get()) {
                    GcReport report = gc.runOnce();
                    assertThat(report.failures()).isEmpty();
                    deleted.addAndGet(report.objectsDeleted());
                }
            }));
            Thread.sleep(RUN_MS);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(missing).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(deleted.get()).as("GC deleted superseded objects meanwhile").isPositive();
        }
    }

    /** What a query does: pin the current version, then fetch every object it names straight from the store. */
    private static void readCurrentVersion(GcFixture node, GcFixture.History h, long holdMs,
                                           ConcurrentLinkedQueue<String> missing) {
        CollectionRecord current = node.catalog.getCollection(h.id);
        try (VersionPins.Pin pin = node.pins.pin(h.id, current.version());
             BlockCache uncached = new BlockCache(node.store, 0)) {
            String key = current.versionKey();
            try {
                Thread.sleep(holdMs);
                VersionManifest m = VersionManifest.decode(key, node.store.get(key));
                List<String> keys = new ArrayList<>(m.indexFiles());
                for (String root : m.roots().values()) {
                    keys.addAll(BlockfileReader.objectKeysOf(uncached, root));
                }
                for (String k : keys) {
                    key = k;
                    node.store.get(k);
                }
            } catch (ObjectNotFoundException e) {
                missing.add("version " + pin.version() + ": " + key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
