package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's heartbeat is slow while nobody waits to replace it and fast while a standby's beacon changes: each
 * write of the lease declares the stale interval its holder keeps, and a node watching the lease waits for the
 * interval the lease declares. Beacon looks run on a test clock; renewals are made by hand.
 */
class AdaptiveHeartbeatTest {
    private static final String KEY = "lease.json";
    private static final String BEACON = "lease-standby.json";
    /** Unwatched: a minute, so a test that waited for it would time out; watched: 300 ms. */
    private static final LeaseHeartbeat HEARTBEAT = new LeaseHeartbeat(10_000, 60_000, 100, 300);

    @TempDir
    Path dir;
    private ObjectStore store;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void open() {
        store = new LocalObjectStore(dir.resolve("objects"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StandbyWatch watch() {
        return new StandbyWatch(store, BEACON, HEARTBEAT, nanos::get);
    }

    private void advanceMs(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private void beat(int n) {
        store.put(BEACON, ("{\"nodeId\":\"standby\",\"beat\":" + n + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** Acquires with renewals by hand only (the renew interval drives beacon looks, not a thread). */
    private WriterLease acquire(String node, StandbyWatch watch) {
        return WriterLease.acquire(store, KEY, node, 120_000, new LeaseHeartbeat(0, 60_000, 0, 300), watch,
                InstantSource.system(), true);
    }

    private String lease() {
        return new String(store.get(KEY), StandardCharsets.UTF_8);
    }

    @Test
    void aBeaconIsLookedAtOncePerThreeIntervalsUnwatchedAndOncePerIntervalWatchedAndCountsForThree() {
        StandbyWatch watch = watch();
        assertThat(watch.watching()).as("no beacon").isFalse();
        beat(1);
        assertThat(watch.watching()).as("not looked at again before the interval").isFalse();
        advanceMs(10_000);
        assertThat(watch.watching()).as("unwatched: not looked at again within three intervals").isFalse();
        advanceMs(20_000);
        assertThat(watch.watching()).as("seen at the next look").isTrue();
        advanceMs(10_000);
        assertThat(watch.watching()).as("unchanged, within three intervals of its change").isTrue();
        beat(2);
        advanceMs(10_000);
        assertThat(watch.watching()).as("changed again").isTrue();
        advanceMs(30_000);
        assertThat(watch.watching()).as("unchanged for three intervals: the standby is gone").isFalse();
    }

    @Test
    void aBeaconPresentAtTheFirstLookCountsAsAStandby() {
        beat(1);
        StandbyWatch watch = watch();
        assertThat(watch.watching()).isTrue();
        advanceMs(30_000);
        assertThat(watch.watching()).as("a leftover costs one grace period").isFalse();
    }

    @Test
    void withoutABeaconKeyNobodyWatchesAndNothingIsRead() {
        beat(1);
        assertThat(new StandbyWatch(store, null, HEARTBEAT, nanos::get).watching()).isFalse();
    }

    @Test
    void eachWriteOfTheLeaseDeclaresTheStaleIntervalOfItsMode() {
        StandbyWatch watch = new StandbyWatch(store, BEACON, new LeaseHeartbeat(0, 60_000, 0, 300), nanos::get);
        try (WriterLease writer = acquire("a", watch)) {
            assertThat(writer.standbyWatching()).isFalse();
            assertThat(writer.staleMs()).isEqualTo(60_000);
            assertThat(lease()).contains("\"staleMs\":60000");

            beat(1);
            advanceMs(3); // unwatched, the beacon is looked at once per grace period (3 ms with a renew interval of 0)
            assertThat(writer.renew()).isTrue();
            assertThat(writer.standbyWatching()).as("a standby's beacon changed").isTrue();
            assertThat(writer.staleMs()).isEqualTo(300);
            assertThat(lease()).contains("\"staleMs\":300");

            advanceMs(5);
            assertThat(writer.renew()).isTrue();
            assertThat(writer.standbyWatching()).as("unchanged past its grace (3 ms with a renew interval of 0)")
                    .isFalse();
            assertThat(lease()).contains("\"staleMs\":60000");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // the unwatched stale interval is 60 s: waiting for it fails here
    void aSuccessorWaitsForTheStaleIntervalTheLeaseDeclares() {
        beat(1);
        WriterLease dead = acquire("a", watch()); // a standby watches: it declares 300 ms, then its process dies
        assertThat(dead.staleMs()).isEqualTo(300);
        long started = System.nanoTime();
        WriterLease successor = WriterLease.acquire(store, KEY, "b", 120_000, HEARTBEAT, (String) null,
                InstantSource.system(), true);
        assertThat(System.nanoTime() - started).as("watched for the declared interval")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(successor.epoch()).isEqualTo(2);
        assertThat(dead.confirmHeld()).isFalse();
        successor.close();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSuccessorNeverWaitsLongerThanItsOwnStaleInterval() {
        WriterLease dead = acquire("a", watch()); // no standby: it declares a minute, then its process dies
        assertThat(dead.staleMs()).isEqualTo(60_000);
        long started = System.nanoTime();
        WriterLease successor = WriterLease.acquire(store, KEY, "b", 120_000, 100, 300, InstantSource.system(), true);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(successor.epoch()).isEqualTo(2);
        successor.close();
    }

    @Test
    void aHolderCountsItselfTheWriterOnlyForTheIntervalItDeclared() throws Exception {
        beat(1);
        try (WriterLease writer = acquire("a", watch())) {
            assertThat(writer.staleMs()).isEqualTo(300);
            Thread.sleep(400); // past the declared 300 ms without a renewal (a lower bound: never flaky)
            assertThat(writer.isValid()).as("a successor may have taken over by now").isFalse();
            assertThat(writer.mayWrite()).as("one renewal of its own restores it").isTrue();
        }
    }

    @Test
    void aStandbyBeaconRewritesItsObjectUntilClosed() throws Exception {
        CatalogOptions options = CatalogOptions.defaults().withLease(50, 200, 10, 40);
        String first;
        try (StandbyBeacon beacon = StandbyBeacon.start(store, "standby", options)) {
            first = awaitBeacon(null);
            assertThat(first).contains("\"nodeId\":\"standby\"");
            assertThat(awaitBeacon(first)).as("rewritten with a new beat").isNotEqualTo(first);
        }
        String last = new String(store.get(options.standbyBeaconKey()), StandardCharsets.UTF_8);
        Thread.sleep(200);
        assertThat(new String(store.get(options.standbyBeaconKey()), StandardCharsets.UTF_8))
                .as("no beat after close").isEqualTo(last);
        assertThatThrownBy(() -> new LeaseHeartbeat(100, 300, 200, 250)).isInstanceOf(IllegalArgumentException.class);
    }

    private String awaitBeacon(String other) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (store.head(BEACON).isPresent()) {
                String now = new String(store.get(BEACON), StandardCharsets.UTF_8);
                if (!now.equals(other)) {
                    return now;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the beacon was not written");
    }
}
