package dev.strata.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
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
 * The single-writer lease on a bucket ({@code {prefix}/lease.json}: node id, epoch, expiry, heartbeat count), taken
 * and renewed only by conditional writes, so two nodes can never both believe they hold it through the same ETag.
 * The holder renews it in a background thread (its heartbeat: each renewal writes a new heartbeat count, so the
 * object changes every time), at one of two rates ({@link LeaseHeartbeat}): slowly while nobody waits to replace it,
 * fast while a standby's beacon ({@link StandbyBeacon}) shows one watching. Each write declares the stale interval
 * its holder keeps from then on, and a node watching the lease waits for the interval the lease declares (at most its
 * own stale interval: nodes of one bucket are meant to share lease settings).
 *
 * <p>Taking over, on a store with conditional writes ({@link ObjectStore#conditionalWrites()}): a lease released by
 * its holder, or last held by this same node (a restart), is taken at once with epoch + 1. A lease held by another
 * node is watched for {@code staleMs} on this node's own monotonic clock: if it changes meanwhile its writer is alive
 * and this node gets {@link LeaseHeldException} (a healthy writer is never fenced by an accidental second start);
 * if it stays unchanged for the whole interval its writer is taken to be dead and the lease is taken over with
 * epoch + 1 by a conditional write on the ETag watched, so a renewal that lands at the last moment still wins. No
 * clock of another machine is trusted. The epoch names every log segment the new writer uploads and is recorded
 * in the catalog manifest, so whatever the predecessor still writes (a paused process that wakes up) is refused
 * (manifest CAS) or ignored by readers; the predecessor learns it is fenced at its next renewal or upload.
 *
 * <p>The holder counts itself the writer only until {@code staleMs} after the start of its last successful renewal
 * (monotonic clock): a successor can take over no sooner, so a holder that cannot renew stops writing first. Past
 * that, a write first tries one renewal itself ({@link #mayWrite()}), so a renewer thread starved on a loaded
 * machine costs a PUT, not a refused write.
 *
 * <p>Without conditional writes a node that finds an unexpired lease of another node gets {@link LeaseHeldException}
 * and waits for it to expire ({@code ttlMs}, judged on wall clocks, which must then agree within the TTL minus the
 * renew interval); the holder then counts its lease valid only until the expiry it wrote.
 */
public final class WriterLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLease.class);

    /**
     * The lease object's format: JSON with a {@code format} field. Leases written before the field existed lack
     * it and are version 1. A lease has no checksum of its own: it is small, written whole by one PUT and
     * checked in transit by the store; damage shows as JSON that does not parse.
     */
    static final FileFormat FORMAT = new FileFormat("writer lease", new byte[0], 1, 1);

    /**
     * What {@code lease.json} holds; {@code beat} counts renewals and {@code staleMs} is the stale interval its
     * holder keeps from this write on (both absent in leases of older versions: then a watcher uses its own).
     */
    @JsonPropertyOrder({"format"})
    record LeaseRecord(String nodeId, long epoch, long expiresAtMs, Long beat, Long staleMs) {
        /** The format this build writes (read back by {@link #decode}, not by the record). */
        @JsonProperty("format")
        int format() {
            return FORMAT.newestReadable();
        }

        /** A lease its holder released on close: free for anyone at once. */
        boolean released() {
            return expiresAtMs == 0;
        }

        long beats() {
            return beat == null ? 0 : beat;
        }
    }

    private final ObjectStore store;
    private final String key;
    private final String nodeId;
    private final long ttlMs;
    private final LeaseHeartbeat heartbeat;
    private final boolean fencing;
    private final InstantSource clock;
    private final ScheduledExecutorService renewer;
    private final long epoch;
    private final StandbyWatch standbys;
    private String etag;
    private long beat;
    /** The stale interval the last successful write of the lease declared (and this holder keeps). */
    private volatile long staleMs;

    private final LeaseRecord previous;
    private volatile long expiresAtMs;
    /** With {@link #fencing}: System.nanoTime() after which this holder no longer counts itself the writer. */
    private volatile long validUntilNanos;
    private volatile boolean lost;
    private volatile boolean closed;

    private WriterLease(ObjectStore store, String key, String nodeId, long ttlMs, LeaseHeartbeat heartbeat,
                        InstantSource clock, LeaseRecord held, String etag, LeaseRecord previous, boolean fencing,
                        long writtenFromNanos, StandbyWatch standbys) {
        this.previous = previous;
        this.store = store;
        this.key = key;
        this.nodeId = nodeId;
        this.ttlMs = ttlMs;
        this.heartbeat = heartbeat;
        this.fencing = fencing;
        this.clock = clock;
        this.epoch = held.epoch();
        this.standbys = standbys;
        this.etag = etag;
        this.beat = held.beats();
        this.staleMs = held.staleMs();
        this.expiresAtMs = held.expiresAtMs();
        this.validUntilNanos = writtenFromNanos + TimeUnit.MILLISECONDS.toNanos(staleMs);
        if (heartbeat.renewMs() > 0) {
            renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strata-lease-renew-" + nodeId);
                t.setDaemon(true);
                return t;
            });
            scheduleRenewal();
        } else {
            renewer = null;
        }
    }

    /** Acquires the lease with the key and timings of {@code options}, by the rules of the store. */
    public static WriterLease acquire(ObjectStore store, String nodeId, CatalogOptions options) {
        boolean fence = store.conditionalWrites();
        // Without conditional writes nobody watches for staleness (the TTL rules): one heartbeat, no beacon.
        LeaseHeartbeat heartbeat = fence ? options.heartbeat()
                : LeaseHeartbeat.fixed(options.leaseRenewMs(), options.leaseStaleMs());
        return acquire(store, options.leaseKey(), nodeId, options.leaseTtlMs(), heartbeat,
                heartbeat.adaptive() ? options.standbyBeaconKey() : null, InstantSource.system(), fence);
    }

    /**
     * Acquires the lease: creates it when absent; takes it over (epoch + 1) at once when released or already this
     * node's. Another node's lease is, with {@code fence}, watched for {@code staleMs} and taken over only if it did
     * not change meanwhile; without {@code fence}, taken over only once expired by {@code clock}. Otherwise throws
     * {@link LeaseHeldException}.
     *
     * @param renewMs background renewal interval; 0 for none (the caller renews with {@link #renew()})
     * @param staleMs with {@code fence}: how long another node's lease must stay unrenewed before it is taken over,
     *                and how long after its last renewal this holder still counts itself the writer
     */
    public static WriterLease acquire(ObjectStore store, String key, String nodeId, long ttlMs, long renewMs,
                                      long staleMs, InstantSource clock, boolean fence) {
        if (staleMs <= 0 || (fence && renewMs >= staleMs)) {
            throw new IllegalArgumentException("need staleMs > 0 (and > renewMs with fencing), got " + staleMs + ", "
                    + renewMs);
        }
        LeaseHeartbeat heartbeat = LeaseHeartbeat.fixed(renewMs, Math.max(staleMs, renewMs + 1));
        return acquire(store, key, nodeId, ttlMs, heartbeat, (String) null, clock, fence);
    }

    /**
     * Acquires the lease as above with a heartbeat that speeds up while a standby watches: with a
     * {@code beaconKey}, the holder looks at that object (a HEAD) once per unwatched renewal interval and, while a
     * standby keeps rewriting it, renews at the standby rate and declares the standby stale interval in the lease.
     */
    public static WriterLease acquire(ObjectStore store, String key, String nodeId, long ttlMs,
                                      LeaseHeartbeat heartbeat, String beaconKey, InstantSource clock, boolean fence) {
        return acquire(store, key, nodeId, ttlMs, heartbeat, new StandbyWatch(store, beaconKey, heartbeat), clock,
                fence);
    }

    static WriterLease acquire(ObjectStore store, String key, String nodeId, long ttlMs, LeaseHeartbeat heartbeat,
                               StandbyWatch standbys, InstantSource clock, boolean fence) {
        Objects.requireNonNull(nodeId, "nodeId");
        long renewMs = heartbeat.renewMs();
        if (ttlMs <= 0 || renewMs >= ttlMs) {
            throw new IllegalArgumentException("need ttlMs > 0 and 0 <= renewMs < ttlMs, got " + ttlMs + ", " + renewMs);
        }
        long ownStaleMs = heartbeat.staleMs();
        boolean watched = standbys.watching();
        long declaredStaleMs = heartbeat.staleMs(watched);
        VersionedBytes current;
        try {
            current = store.getVersioned(key);
        } catch (ObjectNotFoundException e) {
            current = null;
        }
        LeaseRecord next;
        LeaseRecord before = null;
        String newEtag;
        long writtenFrom;
        try {
            if (current == null) {
                writtenFrom = System.nanoTime();
                next = new LeaseRecord(nodeId, 1, clock.millis() + ttlMs, 0L, declaredStaleMs);
                newEtag = store.putIfAbsent(key, encode(next));
            } else {
                LeaseRecord held = decode(key, current.data());
                before = held;
                boolean free = held.nodeId().equals(nodeId) || held.released();
                if (!free && fence) {
                    // The interval the holder declared, at most this node's own (nodes of one bucket are meant to
                    // share their lease settings; the epoch fences a holder configured to believe longer).
                    long watchMs = held.staleMs() == null ? ownStaleMs : Math.min(held.staleMs(), ownStaleMs);
                    awaitStale(store, key, held, current.etag(), watchMs);
                } else if (!free && held.expiresAtMs() > clock.millis()) {
                    throw new LeaseHeldException(key, held.nodeId(), held.epoch(),
                            Instant.ofEpochMilli(held.expiresAtMs()));
                }
                writtenFrom = System.nanoTime();
                next = new LeaseRecord(nodeId, held.epoch() + 1, clock.millis() + ttlMs, 0L, declaredStaleMs);
                newEtag = store.putIfMatch(key, encode(next), current.etag());
            }
        } catch (PreconditionFailedException e) {
            // Another node wrote the lease between our read and write (or its holder renewed it): it won this round.
            LeaseRecord winner = decode(key, store.get(key));
            throw new LeaseHeldException(key, winner.nodeId(), winner.epoch(), Instant.ofEpochMilli(winner.expiresAtMs()));
        }
        if (before != null && !before.nodeId().equals(nodeId) && !before.released()) {
            LOG.warn("node {} took writer lease {} over at epoch {} from node {} (epoch {}), whose lease was {}: that"
                    + " node is fenced", nodeId, key, next.epoch(), before.nodeId(), before.epoch(),
                    fence ? "not renewed for its stale interval" : "expired");
        } else {
            LOG.debug("node {} acquired writer lease {} at epoch {}", nodeId, key, next.epoch());
        }
        if (watched) {
            LOG.info("a standby watches writer lease {}: renewing it every {} ms", key, heartbeat.standbyRenewMs());
        }
        return new WriterLease(store, key, nodeId, ttlMs, heartbeat, clock, next, newEtag, before, fence,
                writtenFrom, standbys);
    }

    /**
     * Watches another node's lease for {@code staleMs} on this node's monotonic clock (a HEAD every poll): returns
     * when its ETag stayed {@code etag} throughout (its writer stopped renewing: dead, or cut off), throws
     * {@link LeaseHeldException} as soon as it changed (its writer is alive).
     */
    private static void awaitStale(ObjectStore store, String key, LeaseRecord held, String etag, long staleMs) {
        LOG.info("writer lease {} is held by node {} (epoch {}): watching it for {} ms; it is taken over only if its"
                + " writer does not renew it meanwhile", key, held.nodeId(), held.epoch(), staleMs);
        long pollMs = Math.clamp(staleMs / 10, 10, 250);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(staleMs);
        while (true) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(pollMs, TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogException("interrupted while watching writer lease " + key);
            }
            Optional<ObjectMeta> now = store.head(key);
            if (now.isEmpty() || !now.get().etag().equals(etag)) {
                throw new LeaseHeldException(held.nodeId(), held.epoch(), Instant.ofEpochMilli(held.expiresAtMs()),
                        "writer lease " + key + " is held by node " + held.nodeId() + " (epoch " + held.epoch()
                        + "), which renewed it while this node watched it: that writer is alive (a writer is replaced"
                        + " only once its lease goes unrenewed for " + staleMs + " ms)");
            }
        }
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
        if (closed || lost) {
            return false;
        }
        return fencing ? System.nanoTime() - validUntilNanos < 0 : clock.millis() < expiresAtMs;
    }

    /**
     * True when this node may write now: {@link #isValid()}, or, when only its heartbeat lapsed (the renewer thread
     * starved on a loaded machine, or a renewal was slow), one renewal done here succeeds. A successful renewal is
     * a conditional write on this holder's ETag, so nobody took over before it, and a node watching the lease sees
     * it change. Called before every write and upload.
     */
    public boolean mayWrite() {
        if (isValid()) {
            return true;
        }
        if (closed || lost || !fencing) {
            return false;
        }
        synchronized (this) {
            if (isValid()) {
                return true;
            }
            try {
                return renew();
            } catch (RuntimeException e) {
                LOG.debug("renewing writer lease {} before a write failed: {}", key, e.toString());
                return false;
            }
        }
    }

    /** Throws {@link FencedException} unless {@link #mayWrite()}. */
    public void checkValid() {
        if (!mayWrite()) {
            throw new FencedException("node " + nodeId + " no longer holds writer lease " + key + " (epoch " + epoch
                    + (lost ? ", taken over by another node" : closed ? ", released"
                    : fencing ? ", not renewed for " + staleMs + " ms" : ", expired")
                    + ")");
        }
    }

    /**
     * Renews the lease (one heartbeat): extends it by the TTL and the stale interval from now. Returns false (and the
     * lease is lost for good) when another node took it over; a store failure is thrown and the lease stays as it
     * was until it expires (goes stale).
     */
    public synchronized boolean renew() {
        if (closed || lost) {
            return false;
        }
        long started = System.nanoTime();
        boolean watched = fencing && standbys.watching();
        long declared = heartbeat.staleMs(watched);
        LeaseRecord next = new LeaseRecord(nodeId, epoch, clock.millis() + ttlMs, beat + 1, declared);
        try {
            etag = store.putIfMatch(key, encode(next), etag);
            beat = next.beats();
            expiresAtMs = next.expiresAtMs();
            if (declared != staleMs) {
                LOG.info(watched ? "a standby watches writer lease {}: renewing it every {} ms"
                        : "no standby watches writer lease {} any more: renewing it every {} ms", key,
                        heartbeat.renewMs(watched));
            }
            // This write declared the interval: a watcher that read an older lease sees the ETag change first.
            staleMs = declared;
            validUntilNanos = started + TimeUnit.MILLISECONDS.toNanos(declared);
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

    /** The next heartbeat, after the interval of the mode the last write declared. */
    private void scheduleRenewal() {
        try {
            renewer.schedule(this::renewQuietly, heartbeat.renewMs(standbyWatching()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile: no more heartbeats.
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("renewing writer lease {} failed; will retry: {}", key, e.toString());
        }
        if (!closed && !lost) {
            scheduleRenewal();
        }
    }

    /** True while this holder keeps the faster heartbeat because a standby watches. */
    public boolean standbyWatching() {
        return heartbeat.adaptive() && staleMs == heartbeat.standbyStaleMs();
    }

    /** The stale interval this holder declared in its last write of the lease. */
    public long staleMs() {
        return staleMs;
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

    /** Stops renewing and releases the lease (writes it released, keeping the epoch) so a successor need not wait. */
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
                store.putIfMatch(key, encode(new LeaseRecord(nodeId, epoch, 0, beat + 1, staleMs)), etag);
            } catch (RuntimeException e) {
                // Taken over or unreachable: either way the lease expires on its own.
                LOG.info("could not release writer lease {}: {}", key, e.toString());
            }
        }
    }

    /**
     * Runs the lease's JSON round trip once, off the opening thread: in a fresh JVM the first use of the catalog's
     * mapper (Jackson's classes and its record introspection) took about 400 ms of a node's open, which this lets
     * a node overlap with opening its RocksDB. Any failure is left to the real read to report.
     */
    public static void prepareJson() {
        try {
            decode("prepare", encode(new LeaseRecord("prepare", 1, 0, 0L, 0L)));
        } catch (RuntimeException ignored) {
            // the lease's own read reports it
        }
    }

    static byte[] encode(LeaseRecord r) {
        try {
            return CatalogJson.MAPPER.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new CatalogException("cannot encode the lease", e);
        }
    }

    static LeaseRecord decode(String key, byte[] data) {
        try {
            JsonNode tree = CatalogJson.MAPPER.readTree(data);
            if (!(tree instanceof ObjectNode lease)) {
                throw new CorruptObjectException(key, "lease is not a JSON object");
            }
            FORMAT.checkVersionField(key, lease.remove("format"));
            LeaseRecord r = CatalogJson.MAPPER.treeToValue(lease, LeaseRecord.class);
            if (r.nodeId() == null) {
                throw new CorruptObjectException(key, "lease has no node id");
            }
            return r;
        } catch (IOException e) {
            throw new CorruptObjectException(key, "lease is not valid JSON: " + e.getMessage());
        }
    }
}
