package dev.strata.catalog;

import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's side of the standby beacon: whether a standby watches the lease now. It reads the beacon's ETag (one
 * HEAD) at most once per {@link LeaseHeartbeat#beaconGraceNanos()} (three renewal intervals) while nobody watches,
 * and once per renewal interval while a standby does, and counts a standby watching while the beacon changed within
 * that grace. Looking three times less often while unwatched saves two HEADs in three of an idle node's requests
 * (173k a month at the defaults); the price is that a standby that starts is noticed up to 30 s later, which only
 * matters if the writer also crashes in those 30 s. A beacon already there at the first look counts as a change: a
 * standby started before this writer is served at once, and a leftover costs one grace period of fast heartbeats.
 */
final class StandbyWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyWatch.class);

    private final ObjectStore store;
    private final String beaconKey; // null: no beacon is read, nobody ever counts as watching
    private final long lookEveryNanos;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private boolean looked;
    private long nextLookNanos;
    private String seenEtag;
    private long changedAtNanos;
    private boolean changedOnce;

    StandbyWatch(ObjectStore store, String beaconKey, LeaseHeartbeat heartbeat) {
        this(store, beaconKey, heartbeat, System::nanoTime);
    }

    /** With the monotonic clock {@code nanoTime} (a test's). */
    StandbyWatch(ObjectStore store, String beaconKey, LeaseHeartbeat heartbeat, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.store = store;
        this.beaconKey = beaconKey;
        this.lookEveryNanos = TimeUnit.MILLISECONDS.toNanos(heartbeat.renewMs());
        this.graceNanos = heartbeat.beaconGraceNanos();
    }

    /** True when a standby's beacon changed recently; looks at it first when a look is due. */
    synchronized boolean watching() {
        if (beaconKey == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (!looked || now - nextLookNanos >= 0) {
            looked = true;
            look(now);
            // Unwatched, one look per grace period still sees a standby that beats once per renewal interval.
            nextLookNanos = now + (isWatching(now) ? lookEveryNanos : graceNanos);
        }
        return isWatching(now);
    }

    private boolean isWatching(long now) {
        return changedOnce && now - changedAtNanos < graceNanos;
    }

    private void look(long now) {
        Optional<ObjectMeta> beacon;
        try {
            beacon = store.head(beaconKey);
        } catch (RuntimeException e) {
            // The heartbeat matters more than the beacon: keep the last answer and look again next time.
            LOG.debug("could not read the standby beacon {}: {}", beaconKey, e.toString());
            return;
        }
        if (beacon.isPresent() && !beacon.get().etag().equals(seenEtag)) {
            seenEtag = beacon.get().etag();
            changedAtNanos = now;
            changedOnce = true;
        }
    }
}
