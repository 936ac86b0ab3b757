package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.FaultInjectingObjectStore;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease itself. Most tests use the lease-wait rules of a store without conditional writes ({@link #acquire}:
 * an unexpired lease of another node is refused, expiry on a manual clock); the takeover tests use the staleness
 * rule and epoch fencing of a store with them ({@link #takeOver}: another node's lease is taken over only once it
 * went unrenewed for {@link #STALE} ms, watched on real time).
 */
class WriterLeaseTest {
    private static final String KEY = "lease.json";
    private static final long TTL = 10_000;
    private static final long STALE = 300;

    /** A clock the test moves by hand, so expiry needs no sleeping. */
    static final class ManualClock implements InstantSource {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(long ms) {
            millis.addAndGet(ms);
        }
    }

    @TempDir
    Path dir;
    LocalObjectStore store;
    ManualClock clock = new ManualClock();

    @BeforeEach
    void open() {
        store = new LocalObjectStore(dir.resolve("objects"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private WriterLease acquire(String node) {
        return WriterLease.acquire(store, KEY, node, TTL, 0, STALE, clock, false);
    }

    /** Acquires with the rules of a store with conditional writes; {@code renewMs} 0: renewed by hand only. */
    private WriterLease takeOver(ObjectStore on, String node, long renewMs) {
        return WriterLease.acquire(on, KEY, node, TTL, renewMs, STALE, clock, true);
    }

    @Test
    void onAStoreWithConditionalWritesAnUnrenewedLeaseIsTakenOverAfterTheStaleIntervalAndItsHolderFenced() {
        WriterLease a = acquire("a"); // never renewed: its process died
        long started = System.nanoTime();
        WriterLease b = takeOver(store, "b", 0);
        assertThat(System.nanoTime() - started).as("watched for the stale interval")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(STALE));
        assertThat(b.epoch()).isEqualTo(2);
        assertThat(b.previousHolder()).isEqualTo("a");
        assertThat(b.previousEpoch()).isEqualTo(1);
        assertThat(a.isValid()).as("a has not looked yet").isTrue();
        assertThat(a.confirmHeld()).as("one read of the lease tells it").isFalse();
        assertThat(a.isFenced()).isTrue();
        assertThatThrownBy(a::checkValid).isInstanceOf(FencedException.class).hasMessageContaining("taken over");
        assertThat(a.renew()).isFalse();
        assertThat(b.confirmHeld()).isTrue();
        assertThat(b.renew()).isTrue();
        assertThat(b.confirmHeld()).as("after its own renewal").isTrue();
        a.close(); // a fenced lease is not released over its successor's
        assertThat(b.confirmHeld()).isTrue();
    }

    @Test
    void onAStoreWithoutConditionalWritesTheLeaseWaitRemains() {
        acquire("a");
        ObjectStore noConditions = new dev.strata.storage.ForwardingObjectStore(store) {
            @Override
            protected <T> T request(dev.strata.storage.RequestStats.Op op, String key, java.util.function.Supplier<T> call) {
                return call.get();
            }

            @Override
            public boolean conditionalWrites() {
                return false;
            }

            @Override
            public String describe() {
                return "no conditional writes";
            }
        };
        assertThatThrownBy(() -> WriterLease.acquire(noConditions, KEY, "b", TTL, 0, STALE, clock,
                noConditions.conditionalWrites())).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void aLiveHoldersLeaseIsNeverTakenOverAndTheSecondNodeIsToldWhy() {
        try (WriterLease a = takeOver(store, "a", 50)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(() -> takeOver(store, "b", 0)).isInstanceOfSatisfying(LeaseHeldException.class, e -> {
                    assertThat(e.holder()).isEqualTo("a");
                    assertThat(e.getMessage()).contains("renewed it while this node watched").contains("alive");
                });
            }
            assertThat(a.isValid()).isTrue();
            assertThat(a.confirmHeld()).isTrue();
            assertThat(a.epoch()).isEqualTo(1);
        }
    }

    @Test
    void aReleasedLeaseOrOneOfTheSameNodeIsTakenAtOnce() {
        WriterLease a = takeOver(store, "a", 0);
        long started = System.nanoTime();
        WriterLease again = takeOver(store, "a", 0); // a restart of the same node (folder)
        assertThat(again.epoch()).isEqualTo(2);
        again.close();
        WriterLease b = takeOver(store, "b", 0);
        assertThat(b.epoch()).isEqualTo(3);
        assertThat(System.nanoTime() - started).as("no stale wait").isLessThan(TimeUnit.MILLISECONDS.toNanos(STALE));
        assertThat(a.renew()).isFalse();
    }

    @Test
    void aHolderThatCannotRenewStopsWritingAfterTheStaleIntervalAndOneThatCanRenewsBeforeItsWrite() throws Exception {
        FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(store, 3);
        WriterLease a = takeOver(faulty, "a", 0);
        assertThat(a.isValid()).isTrue();
        Thread.sleep(STALE + 50); // its heartbeat did not run: a starved renewer thread, a slow store
        assertThat(a.isValid()).as("not renewed for the stale interval: a successor may be taking over").isFalse();

        faulty.failNext(RequestStats.Op.PUT_CONDITIONAL, FaultInjectingObjectStore.Fault.INTERNAL_ERROR);
        assertThatThrownBy(a::checkValid).as("it cannot renew before the write either")
                .isInstanceOf(FencedException.class).hasMessageContaining("not renewed");

        a.checkValid(); // nobody took over: the write renews first and goes ahead
        assertThat(a.isValid()).isTrue();
        assertThat(new String(store.get(KEY))).contains("\"epoch\":1");
    }

    @Test
    void aFencedWritersCatalogChangeIsRefusedByTheManifestCas() {
        try (CatalogFixture nodeA = new CatalogFixture(dir, "nodeA", store);
             CatalogFixture nodeB = new CatalogFixture(dir, "nodeB", store)) {
            WriterLease a = acquire("a");
            Catalog zombie = nodeA.open(a);
            zombie.createCollection("default_tenant", "default_database", "x", null, null, null);
            WriterLease b = takeOver(store, "b", 0);
            Catalog successor = nodeB.open(b);
            successor.recordTakeover(b.epoch(), Map.of("log-x", 7L));
            assertThat(a.isValid()).as("the zombie has not looked at its lease").isTrue();

            assertThatThrownBy(() -> zombie.createCollection("default_tenant", "default_database", "y", null, null, null))
                    .isInstanceOf(FencedException.class);
            assertThat(a.isFenced()).as("the refused CAS fenced it").isTrue();
            assertThat(successor.writerEpoch()).isEqualTo(2);
            assertThat(successor.logTakeovers()).containsEntry("log-x", List.of(new LogTakeover(2, 7)));
            assertThat(zombie.logTakeovers()).as("the zombie adopted the successor's manifest")
                    .containsEntry("log-x", List.of(new LogTakeover(2, 7)));
            assertThat(successor.allCollections()).extracting(CollectionRecord::name).containsExactly("x");
            assertThatThrownBy(() -> zombie.recordTakeover(1, Map.of())).isInstanceOf(FencedException.class);
        }
    }

    @Test
    void firstNodeAcquiresAndASecondIsRefused() {
        WriterLease a = acquire("a");
        assertThat(a.isValid()).isTrue();
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(a.expiresAt()).isEqualTo(clock.instant().plusMillis(TTL));

        assertThatThrownBy(() -> acquire("b")).isInstanceOfSatisfying(LeaseHeldException.class, e -> {
            assertThat(e.holder()).isEqualTo("a");
            assertThat(e.epoch()).isEqualTo(1);
            assertThat(e.expiresAt()).isEqualTo(a.expiresAt());
        });
        assertThat(a.isValid()).isTrue();
    }

    @Test
    void anExpiredLeaseIsTakenOverWithTheNextEpochAndTheOldHolderIsFenced() {
        WriterLease a = acquire("a");
        clock.advance(TTL + 1);
        assertThat(a.isValid()).isFalse();

        WriterLease b = acquire("b");

        assertThat(b.epoch()).isEqualTo(2);
        assertThat(b.isValid()).isTrue();
        assertThat(a.renew()).isFalse(); // its CAS loses: b wrote the lease since
        assertThat(a.isValid()).isFalse();
        assertThatThrownBy(a::checkValid).isInstanceOf(FencedException.class).hasMessageContaining("taken over");
        assertThatThrownBy(() -> acquire("a")).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void racingNodesGetExactlyOneLease() throws Exception {
        for (int round = 0; round < 2; round++) { // round 0: no lease yet; round 1: an expired one
            int nodes = 6;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            List<Future<WriterLease>> results = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String node = "r" + round + "-" + n;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return acquire(node);
                    } catch (LeaseHeldException refused) {
                        return null;
                    }
                }));
            }
            start.countDown();
            List<WriterLease> winners = new ArrayList<>();
            for (Future<WriterLease> f : results) {
                WriterLease l = f.get(30, TimeUnit.SECONDS);
                if (l != null) {
                    winners.add(l);
                }
            }
            pool.shutdown();
            assertThat(winners).hasSize(1);
            assertThat(winners.getFirst().epoch()).isEqualTo(round + 1);
            clock.advance(TTL + 1);
        }
    }

    @Test
    void renewalKeepsTheLeaseAlive() {
        WriterLease a = acquire("a");
        clock.advance(TTL - 1);
        assertThat(a.renew()).isTrue();
        clock.advance(TTL - 1);

        assertThat(a.isValid()).isTrue();
        assertThat(a.epoch()).isEqualTo(1);
        assertThatThrownBy(() -> acquire("b")).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    void backgroundRenewalAdvancesTheExpiry() throws Exception {
        try (WriterLease a = WriterLease.acquire(store, KEY, "a", 60_000, 20, STALE, InstantSource.system(), true)) {
            Instant first = a.expiresAt();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!a.expiresAt().isAfter(first) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.expiresAt()).isAfter(first);
            assertThat(a.isValid()).isTrue();
            assertThat(new String(store.get(KEY))).contains("\"epoch\":1");
        }
    }

    @Test
    void closingReleasesTheLeaseForASuccessor() {
        WriterLease a = acquire("a");
        a.close();
        assertThat(a.isValid()).isFalse();

        WriterLease b = acquire("b");

        assertThat(b.epoch()).isEqualTo(2);
    }

    @Test
    void theSameNodeReacquiresAfterARestart() {
        acquire("a"); // the process died without closing
        WriterLease again = acquire("a");
        assertThat(again.epoch()).isEqualTo(2);
        assertThat(again.isValid()).isTrue();
    }

    @Test
    void aCatalogWritesOnlyWhileItsLeaseIsValid() {
        try (CatalogFixture node = new CatalogFixture(dir, "node1", store)) {
            WriterLease a = acquire("a");
            Catalog catalog = node.open(a);
            CollectionRecord c = catalog.createCollection("default_tenant", "default_database", "x", null, null, null);
            clock.advance(TTL + 1);

            assertThatThrownBy(() -> catalog.commitVersion(c.id(), 0, 1, "k", 1))
                    .isInstanceOf(FencedException.class).hasMessageContaining("expired");
            assertThat(catalog.getCollection(c.id()).version()).isZero();

            assertThat(a.renew()).isTrue(); // nobody took over: renewing restores it
            assertThat(catalog.commitVersion(c.id(), 0, 1, "k", 1).version()).isEqualTo(1);
            assertThat(new String(store.get("catalog/manifest.json"))).contains("\"writer\":\"a@1\"");
        }
    }

    @Test
    void theLeaseNamesItsFormatAndALeaseOfANewerFormatIsRefusedAsNewerNotCorrupt() {
        byte[] written = WriterLease.encode(new WriterLease.LeaseRecord("a", 3, 42, 7L, 300L));
        assertThat(new String(written)).startsWith("{\"format\":1,\"nodeId\":\"a\"");
        assertThat(WriterLease.decode(KEY, written)).isEqualTo(new WriterLease.LeaseRecord("a", 3, 42, 7L, 300L));

        // A lease of a build from before the field: version 1.
        byte[] older = "{\"nodeId\":\"a\",\"epoch\":3,\"expiresAtMs\":42}".getBytes();
        assertThat(WriterLease.decode(KEY, older)).isEqualTo(new WriterLease.LeaseRecord("a", 3, 42, null, null));

        byte[] newer = "{\"format\":2,\"nodeId\":\"a\",\"epoch\":3,\"expiresAtMs\":42}".getBytes();
        assertThatThrownBy(() -> WriterLease.decode(KEY, newer))
                .isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class)
                .hasMessageContaining("writer lease format version 2 was written by a newer Strata");
        store.put(KEY, newer);
        assertThatThrownBy(() -> acquire("b")).isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class);

        for (String damaged : List.of("{\"format\":\"x\",\"nodeId\":\"a\"}", "[1]", "{\"format\":1,\"nodeId\":")) {
            assertThatThrownBy(() -> WriterLease.decode(KEY, damaged.getBytes()))
                    .isInstanceOf(dev.strata.storage.CorruptObjectException.class).hasMessageContaining(KEY);
        }
    }
}
