package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.LocalObjectStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
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

class WriterLeaseTest {
    private static final String KEY = "lease.json";
    private static final long TTL = 10_000;

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
        return WriterLease.acquire(store, KEY, node, TTL, 0, clock);
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
        try (WriterLease a = WriterLease.acquire(store, KEY, "a", 60_000, 20, InstantSource.system())) {
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
}
