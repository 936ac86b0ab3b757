package dev.strata.catalog;

import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.PreconditionFailedException;
import dev.strata.storage.VersionedBytes;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-writer lease on a bucket ({@code {prefix}/lease.json}: node id, epoch, expiry), taken and
 * renewed only by conditional writes, so two nodes can never both believe they hold it through the same
 * ETag. The holder renews in a background thread.
 *
 * <p>Taking over: on a store with conditional writes ({@link ObjectStore#conditionalWrites()}) a new writer takes
 * the lease at once, expired or not, with epoch + 1 (epoch fencing): the epoch names every log segment it uploads
 * and is recorded in the catalog manifest, so what its predecessor still writes is refused (manifest CAS) or
 * ignored by readers, and the predecessor learns it is fenced at its next renewal, its next lease check (every
 * {@link #CHECK_MS} ms, one HEAD) or its next upload. Without conditional writes a node that finds an unexpired
 * lease of another node gets {@link LeaseHeldException} and waits for it to expire.
 *
 * <p>Expiry is judged on wall clocks, so nodes sharing a bucket need clocks closer than the TTL minus the
 * renew interval. The holder counts its lease valid only until the expiry it wrote, measured from before the
 * write, so a slow renewal makes it stop writing rather than overlap a successor.
 */
public final class WriterLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLease.class);

    /** What {@code lease.json} holds. */
    record LeaseRecord(String nodeId, long epoch, long expiresAtMs) {}

    private final ObjectStore store;
    private final String key;
    private final String nodeId;
    private final long ttlMs;
    private final InstantSource clock;
    private final ScheduledExecutorService renewer;
    private final long epoch;
    private String etag;
    /** How often the holder checks (one HEAD) that no one took the lease over, when takeovers are immediate. */
    static final long CHECK_MS = 1000;

    private final LeaseRecord previous;
    private volatile long expiresAtMs;
    private volatile boolean lost;
    private volatile boolean closed;

    private WriterLease(ObjectStore store, String key, String nodeId, long ttlMs, InstantSource clock,
                        LeaseRecord held, String etag, long renewMs, LeaseRecord previous, boolean watch) {
        this.previous = previous;
        this.store = store;
        this.key = key;
        this.nodeId = nodeId;
        this.ttlMs = ttlMs;
        this.clock = clock;
        this.epoch = held.epoch();
        this.etag = etag;
        this.expiresAtMs = held.expiresAtMs();
        if (renewMs > 0) {
            renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strata-lease-renew-" + nodeId);
                t.setDaemon(true);
                return t;
            });
            renewer.scheduleWithFixedDelay(this::renewQuietly, renewMs, renewMs, TimeUnit.MILLISECONDS);
            if (watch) {
                renewer.scheduleWithFixedDelay(this::confirmQuietly, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
            }
        } else {
            renewer = null;
        }
    }

    /** Acquires the lease at {@code lease.json} with the default renew interval (a third of the TTL). */
    public static WriterLease acquire(ObjectStore store, String nodeId, long ttlMs) {
        return acquire(store, CatalogOptions.LEASE_KEY, nodeId, ttlMs, ttlMs / 3, InstantSource.system());
    }

    /**
     * Acquires the lease as {@link #acquire(ObjectStore, String, String, long, long, InstantSource)} does, taking
     * it over at once from a live holder when the store has conditional writes.
     */
    public static WriterLease acquire(ObjectStore store, String key, String nodeId, long ttlMs, long renewMs,
                                      InstantSource clock) {
        return acquire(store, key, nodeId, ttlMs, renewMs, clock, store.conditionalWrites());
    }

    /** Acquires the lease with the key and timings of {@code options}. */
    public static WriterLease acquire(ObjectStore store, String nodeId, CatalogOptions options) {
        return acquire(store, options.leaseKey(), nodeId, options.leaseTtlMs(), options.leaseRenewMs(),
                InstantSource.system(), store.conditionalWrites());
    }

    /**
     * Acquires the lease: creates it when absent, takes it over (epoch + 1) when expired, already this node's,
     * or at once when {@code fence} (the predecessor is fenced by the epoch); without {@code fence} throws
     * {@link LeaseHeldException} when another node holds it unexpired.
     *
     * @param renewMs background renewal interval; 0 for none (the caller renews with {@link #renew()})
     */
    public static WriterLease acquire(ObjectStore store, String key, String nodeId, long ttlMs, long renewMs,
                                      InstantSource clock, boolean fence) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (ttlMs <= 0 || renewMs < 0 || renewMs >= ttlMs) {
            throw new IllegalArgumentException("need ttlMs > 0 and 0 <= renewMs < ttlMs, got " + ttlMs + ", " + renewMs);
        }
        long now = clock.millis();
        VersionedBytes current;
        try {
            current = store.getVersioned(key);
        } catch (ObjectNotFoundException e) {
            current = null;
        }
        LeaseRecord next;
        LeaseRecord before = null;
        String newEtag;
        try {
            if (current == null) {
                next = new LeaseRecord(nodeId, 1, now + ttlMs);
                newEtag = store.putIfAbsent(key, encode(next));
            } else {
                LeaseRecord held = decode(key, current.data());
                before = held;
                if (!fence && !held.nodeId().equals(nodeId) && held.expiresAtMs() > now) {
                    throw new LeaseHeldException(key, held.nodeId(), held.epoch(),
                            Instant.ofEpochMilli(held.expiresAtMs()));
                }
                next = new LeaseRecord(nodeId, held.epoch() + 1, now + ttlMs);
                newEtag = store.putIfMatch(key, encode(next), current.etag());
            }
        } catch (PreconditionFailedException e) {
            // Another node wrote the lease between our read and write: it won this round.
            LeaseRecord winner = decode(key, store.get(key));
            throw new LeaseHeldException(key, winner.nodeId(), winner.epoch(), Instant.ofEpochMilli(winner.expiresAtMs()));
        }
        if (before != null && !before.nodeId().equals(nodeId) && before.expiresAtMs() > now) {
            LOG.warn("node {} took writer lease {} over at epoch {} from node {} (epoch {}, lease until {}): that node"
                    + " is fenced", nodeId, key, next.epoch(), before.nodeId(), before.epoch(),
                    Instant.ofEpochMilli(before.expiresAtMs()));
        } else {
            LOG.info("node {} acquired writer lease {} at epoch {}", nodeId, key, next.epoch());
        }
        return new WriterLease(store, key, nodeId, ttlMs, clock, next, newEtag, renewMs, before, fence);
    }

    /** Who a lease names: node id and epoch. */
    public record Holder(String nodeId, long epoch) {}

    /** Who holds (or last held) the lease at {@code key} now, or null when the bucket has none. */
    public static Holder holder(ObjectStore store, String key) {
        try {
            LeaseRecord r = decode(key, store.get(key));
            return new Holder(r.nodeId(), r.epoch());
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    /** True while this node still holds an unexpired lease: check before every write. */
    public boolean isValid() {
        return !closed && !lost && clock.millis() < expiresAtMs;
    }

    /** Throws {@link FencedException} unless {@link #isValid()}. */
    public void checkValid() {
        if (!isValid()) {
            throw new FencedException("node " + nodeId + " no longer holds writer lease " + key + " (epoch " + epoch
                    + (lost ? ", taken over by another node" : closed ? ", released" : ", expired") + ")");
        }
    }

    /**
     * Extends the lease by the TTL from now. Returns false (and the lease is lost for good) when another node
     * took it over; a store failure is thrown and the lease stays as it was until it expires.
     */
    public synchronized boolean renew() {
        if (closed || lost) {
            return false;
        }
        long now = clock.millis();
        LeaseRecord next = new LeaseRecord(nodeId, epoch, now + ttlMs);
        try {
            etag = store.putIfMatch(key, encode(next), etag);
            expiresAtMs = next.expiresAtMs();
            return true;
        } catch (PreconditionFailedException e) {
            if (ownRenewalLanded()) {
                return renew();
            }
            markFenced("another node took it over");
            return false;
        }
    }

    /**
     * A renewal whose response was lost (timeout, connection reset) may have been written: then the lease
     * still names this node and epoch, under an ETag this node never saw. Adopts that ETag and returns
     * true; false when the lease is gone or names another holder (a real takeover).
     */
    private boolean ownRenewalLanded() {
        VersionedBytes seen;
        try {
            seen = store.getVersioned(key);
        } catch (ObjectNotFoundException e) {
            return false;
        }
        LeaseRecord there = decode(key, seen.data());
        if (!there.nodeId().equals(nodeId) || there.epoch() != epoch || seen.etag().equals(etag)) {
            return false;
        }
        etag = seen.etag();
        return true;
    }

    /**
     * Reads the lease (a HEAD, a GET only when its ETag moved) and returns whether it still names this node and
     * epoch; when another node took it over the lease is lost for good. Called after every log upload, so an
     * upload this returns true for landed before any successor took over, and in the background.
     */
    public synchronized boolean confirmHeld() {
        if (closed || lost) {
            return false;
        }
        Optional<ObjectMeta> head = store.head(key);
        if (head.isPresent() && etag.equals(head.get().etag())) {
            return true;
        }
        if (head.isPresent()) {
            VersionedBytes seen = store.getVersioned(key);
            LeaseRecord there = decode(key, seen.data());
            if (there.nodeId().equals(nodeId) && there.epoch() == epoch) {
                etag = seen.etag(); // a renewal of ours whose reply was lost
                return true;
            }
        }
        markFenced(head.isEmpty() ? "the lease object is gone" : "another node took it over");
        return false;
    }

    /** The lease is lost for good: another writer fenced this one ({@code why}). */
    public void markFenced(String why) {
        if (!lost) {
            lost = true;
            LOG.warn("node {} lost writer lease {} (epoch {}): {}; it refuses writes from now on", nodeId, key, epoch, why);
        }
    }

    /** True once this node learnt that another node took the lease over. */
    public boolean isFenced() {
        return lost;
    }

    /** The lease as it was before this node acquired it (null when there was none). */
    public String previousHolder() {
        return previous == null ? null : previous.nodeId();
    }

    /** The epoch of the lease before this node acquired it (0 when there was none). */
    public long previousEpoch() {
        return previous == null ? 0 : previous.epoch();
    }

    private void confirmQuietly() {
        try {
            confirmHeld();
        } catch (RuntimeException e) {
            LOG.debug("checking writer lease {} failed; will retry: {}", key, e.toString());
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("renewing writer lease {} failed; will retry: {}", key, e.toString());
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public long epoch() {
        return epoch;
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMs);
    }

    /** Stops renewing and releases the lease (writes it expired, keeping the epoch) so a successor need not wait. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (renewer != null) {
            renewer.shutdownNow();
        }
        if (!lost) {
            try {
                store.putIfMatch(key, encode(new LeaseRecord(nodeId, epoch, 0)), etag);
            } catch (RuntimeException e) {
                // Taken over or unreachable: either way the lease expires on its own.
                LOG.info("could not release writer lease {}: {}", key, e.toString());
            }
        }
    }

    private static byte[] encode(LeaseRecord r) {
        try {
            return CatalogJson.MAPPER.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new CatalogException("cannot encode the lease", e);
        }
    }

    private static LeaseRecord decode(String key, byte[] data) {
        try {
            LeaseRecord r = CatalogJson.MAPPER.readValue(data, LeaseRecord.class);
            if (r.nodeId() == null) {
                throw new CorruptObjectException(key, "lease has no node id");
            }
            return r;
        } catch (IOException e) {
            throw new CorruptObjectException(key, "lease is not valid JSON: " + e.getMessage());
        }
    }
}
