package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.catalog.WriterLease;
import dev.strata.storage.FaultInjectingObjectStore;
import dev.strata.storage.FaultInjectingObjectStore.Fault;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lease renewal that fails keeps the lease until it expires, and the next renewal holds it again,
 * whether the failed one reached the store (timeout, reset: the store has our renewal under an ETag
 * we never saw) or not (500, 503). Only a real takeover by another node loses it.
 */
class LeaseRenewalFaultsTest {

    private static final String KEY = "lease.json";
    private static final long TTL_MS = 60_000;
    private static final long STALE_MS = 1_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedRenewalKeepsTheLeaseAndTheNextOneHoldsIt(Fault fault) {
        LocalObjectStore bucket = new LocalObjectStore(dir);
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(bucket, 3);
        WriterLease lease = WriterLease.acquire(store, KEY, "node-a", TTL_MS, 0, STALE_MS, InstantSource.system(),
                true);

        store.failNext(RequestStats.Op.PUT_CONDITIONAL, fault);
        assertThatThrownBy(lease::renew).isInstanceOf(ObjectStoreException.class);
        assertThat(lease.isValid()).as("valid until it goes stale").isTrue();

        assertThat(lease.renew()).as("renewal after a %s", fault).isTrue();
        assertThat(lease.isValid()).isTrue();
        assertThat(lease.renew()).isTrue();

        // Another node takes the lease over once it has watched it go unrenewed for the stale interval.
        WriterLease successor = WriterLease.acquire(bucket, KEY, "node-b", TTL_MS, 0, STALE_MS,
                InstantSource.system(), true);
        assertThat(successor.epoch()).isEqualTo(lease.epoch() + 1);
        assertThat(lease.renew()).as("a real takeover is still a loss").isFalse();
        assertThat(lease.isValid()).isFalse();
    }
}
