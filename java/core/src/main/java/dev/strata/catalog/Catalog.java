package dev.strata.catalog;

import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.PreconditionFailedException;
import dev.strata.storage.VersionedBytes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants, databases, collections and their versions, durable in the object store's manifest
 * ({@code catalog/manifest.json}) and copied into the node's RocksDB.
 *
 * <p>Every change is first written to the manifest by a conditional write on the ETag this catalog read
 * last, then applied to RocksDB with a synced write, then published to readers. Concurrent changes are
 * group-committed: whoever takes the commit lock applies every queued change in order and writes one
 * manifest for all of them, so callers wait for one object-store round trip, not one each. A change refused
 * by the catalog's rules fails alone; a failed manifest write fails every change of its batch.
 *
 * <p>When the manifest was changed by another process (its ETag moved), nothing is overwritten: the catalog
 * re-reads the manifest, adopts it, and the caller gets {@link FencedException}. With a {@link WriterLease}
 * every write first checks the lease is still this node's. Reads never block and see the last published
 * state.
 */
public final class Catalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

    /** Column family of {@link LocalKv} the catalog keeps its copy in. */
    public static final String KV_FAMILY = LocalCatalogCopy.FAMILY;

    @FunctionalInterface
    private interface Change<T> {
        T apply(CatalogState working);
    }

    private static final class Pending<T> {
        final Change<T> change;
        T value;
        RuntimeException error;
        boolean done;

        Pending(Change<T> change) {
            this.change = change;
        }
    }

    private final ObjectStore store;
    private final LocalCatalogCopy local;
    private final String manifestKey;
    private final WriterLease lease;
    private final boolean readOnly;
    private final Clock clock;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private volatile CatalogState current;
    private String etag;

    private Catalog(ObjectStore store, LocalCatalogCopy local, CatalogOptions options, WriterLease lease,
                    boolean readOnly) {
        this.store = store;
        this.local = local;
        this.manifestKey = options.manifestKey();
        this.lease = lease;
        this.readOnly = readOnly;
        this.clock = Clock.systemUTC();
    }

    /** Opens the catalog without a lease (single writer by deployment, or tests). */
    public static Catalog open(LocalKv kv, ObjectStore store, CatalogOptions options) {
        return open(kv, store, options, null);
    }

    /**
     * Opens the catalog: uses the RocksDB copy when it matches the manifest's ETag, otherwise rebuilds it from
     * the manifest; creates the manifest (default tenant and database) when the bucket has none.
     *
     * @param kv    must have been opened with the column family {@link #KV_FAMILY}
     * @param lease checked before every write; null when this node does not use one
     */
    public static Catalog open(LocalKv kv, ObjectStore store, CatalogOptions options, WriterLease lease) {
        Catalog c = new Catalog(store, new LocalCatalogCopy(kv), options, lease, false);
        c.load();
        return c;
    }

    /**
     * Opens the catalog of a node that may not write (another node holds the writer lease): every change
     * throws {@link FencedException}; {@link #refresh()} follows the writer. A bucket without a manifest
     * reads as the default tenant and database until the writer creates it.
     */
    public static Catalog openReadOnly(LocalKv kv, ObjectStore store, CatalogOptions options) {
        Catalog c = new Catalog(store, new LocalCatalogCopy(kv), options, null, true);
        c.load();
        return c;
    }

    private void load() {
        commitLock.lock();
        try {
            Optional<LocalCatalogCopy.Loaded> copy = local.load();
            Optional<ObjectMeta> head = store.head(manifestKey);
            if (head.isPresent() && copy.isPresent() && head.get().etag() != null
                    && head.get().etag().equals(copy.get().etag())) {
                current = copy.get().state();
                etag = copy.get().etag();
                return;
            }
            if (head.isEmpty()) {
                bootstrap();
            } else {
                adoptManifest();
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** A bucket with no manifest: write the initial one; if another node wins that race, adopt theirs. */
    private void bootstrap() {
        CatalogState initial = CatalogState.initial(UUID.randomUUID());
        if (readOnly) {
            current = initial;
            etag = null;
            return;
        }
        initial.generation = 1;
        try {
            etag = store.putIfAbsent(manifestKey, ManifestCodec.encode(initial, writerName()));
            current = initial;
            local.replaceAll(initial, etag);
            LOG.debug("created catalog manifest {} in {}", manifestKey, store.describe());
        } catch (PreconditionFailedException e) {
            adoptManifest();
        }
    }

    /** Reads the manifest and makes it this node's state and local copy. */
    private void adoptManifest() {
        VersionedBytes manifest = store.getVersioned(manifestKey);
        CatalogState state = ManifestCodec.decode(manifestKey, manifest.data());
        local.replaceAll(state, manifest.etag());
        current = state;
        etag = manifest.etag();
        LOG.info("catalog rebuilt from manifest {} (generation {}, {} collections)", manifestKey, state.generation,
                state.collections.size());
    }

    /**
     * Re-reads the manifest if another process changed it (for a node serving reads while another writes).
     * Returns true when the state changed.
     */
    public boolean refresh() {
        commitLock.lock();
        try {
            Optional<ObjectMeta> head = store.head(manifestKey);
            if (head.isEmpty()) {
                if (readOnly && etag == null) {
                    return false; // the writer has not created the manifest yet
                }
                throw new ObjectNotFoundException(manifestKey);
            }
            if (head.get().etag() != null && head.get().etag().equals(etag)) {
                return false;
            }
            adoptManifest();
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    // ---- tenants

    public Tenant createTenant(String name) {
        return commit(s -> s.createTenant(name));
    }

    public Tenant getTenant(String name) {
        return current.tenant(name);
    }

    // ---- databases

    public Database createDatabase(String tenant, String name) {
        UUID id = UUID.randomUUID();
        return commit(s -> s.createDatabase(tenant, name, id));
    }

    /** Creates a database, and its tenant in the same change when the tenant does not exist. */
    public Database createDatabaseAndTenant(String tenant, String name) {
        UUID id = UUID.randomUUID();
        return commit(s -> s.createDatabase(tenant, name, id, true));
    }

    /**
     * Drops every collection and deletes every tenant and database, then creates the default tenant and database
     * again, in one manifest write: readers see the old catalog or the empty one. Returns the dropped collections
     * (their files stay listed for GC, as after a delete).
     */
    public List<CollectionRecord> reset() {
        UUID id = UUID.randomUUID();
        return commit(s -> s.reset(id, clock.instant()));
    }

    public Database getDatabase(String tenant, String name) {
        return current.database(tenant, name);
    }

    /** The tenant's databases in creation order; {@link NotFoundException} for an unknown tenant. */
    public List<Database> listDatabases(String tenant, int limit, int offset) {
        return current.listDatabases(tenant, limit, offset);
    }

    /** Deletes the database and its collections; returns the collections, now listed as dropped for GC. */
    public List<CollectionRecord> deleteDatabase(String tenant, String name) {
        return commit(s -> s.deleteDatabase(tenant, name, clock.instant()));
    }

    // ---- collections

    /** Creates a collection with a fresh id; {@link AlreadyExistsException} when the name is taken in the database. */
    public CollectionRecord createCollection(String tenant, String database, String name, Map<String, Object> metadata,
                                             Map<String, Object> configuration, Integer dimension) {
        UUID id = UUID.randomUUID();
        return commit(s -> s.createCollection(tenant, database, name, metadata, configuration, dimension, false, id,
                clock.instant()));
    }

    /** Chroma's get_or_create, atomically: the existing collection of that name, or a new one. */
    public CollectionRecord getOrCreateCollection(String tenant, String database, String name,
                                                  Map<String, Object> metadata, Map<String, Object> configuration,
                                                  Integer dimension) {
        UUID id = UUID.randomUUID();
        return commit(s -> s.createCollection(tenant, database, name, metadata, configuration, dimension, true, id,
                clock.instant()));
    }

    /**
     * Creates {@code name} as a fork of {@code sourceId} with a fresh id: version 1 at {@code versionKey} (a
     * manifest the caller wrote for the new id, naming the source's objects), or version 0 when null.
     * {@link AlreadyExistsException} when the name is taken.
     */
    public CollectionRecord forkCollection(UUID sourceId, String name, UUID newId, String versionKey) {
        return commit(s -> s.forkCollection(sourceId, name, newId, versionKey, clock.instant()));
    }

    /** The first collection of a live collection's lineage: the one it was forked from, first, or itself. */
    public UUID lineageRoot(UUID id) {
        return current.lineageRoot(id);
    }

    /** How many live forks the lineage of the collection has. */
    public int forkCount(UUID id) {
        return current.forkCount(id);
    }

    public CollectionRecord getCollection(String tenant, String database, String name) {
        return current.collection(tenant, database, name);
    }

    public CollectionRecord getCollection(UUID id) {
        return current.collection(id);
    }

    /** The database's collections in creation order. */
    public List<CollectionRecord> listCollections(String tenant, String database, int limit, int offset) {
        return current.listCollections(tenant, database, limit, offset);
    }

    public int countCollections(String tenant, String database) {
        return current.countCollections(tenant, database);
    }

    /** Every live collection of every database, in creation order (for compaction and GC sweeps). */
    public List<CollectionRecord> allCollections() {
        return current.allCollections();
    }

    /** Renames (unique per database), replaces metadata or configuration, sets the dimension once. */
    public CollectionRecord updateCollection(UUID id, CollectionUpdate update) {
        return commit(s -> s.updateCollection(id, update));
    }

    /** Deletes the collection; returns its record. Its files stay listed in {@link #droppedCollections()} for GC. */
    public CollectionRecord deleteCollection(UUID id) {
        return commit(s -> s.deleteCollection(id, clock.instant()));
    }

    public CollectionRecord deleteCollection(String tenant, String database, String name) {
        return commit(s -> s.deleteCollection(s.collection(tenant, database, name).id(), clock.instant()));
    }

    // ---- versions

    /**
     * Makes {@code newVersion} (whose manifest the caller already wrote at {@code versionKey}) the collection's
     * current version, including the log up to {@code logCursor}. {@link ConflictException} when the current
     * version is not {@code expectedVersion}.
     */
    public CollectionRecord commitVersion(UUID collectionId, long expectedVersion, long newVersion, String versionKey,
                                          long logCursor) {
        return commit(s -> s.commitVersion(collectionId, expectedVersion, newVersion, versionKey, logCursor,
                clock.instant()));
    }

    /** The collection's committed versions, oldest first, minus those GC forgot. */
    public List<VersionInfo> versions(UUID collectionId) {
        return current.versions(collectionId);
    }

    /** Removes versions from the history after GC deleted their files; the current version cannot be forgotten. */
    public void forgetVersions(UUID collectionId, Set<Long> versions) {
        Set<Long> copy = Set.copyOf(versions);
        commit(s -> {
            s.forgetVersions(collectionId, copy);
            return null;
        });
    }

    /** Deleted collections whose files GC has not yet confirmed gone. */
    public List<DroppedCollection> droppedCollections() {
        return current.droppedCollections();
    }

    /** GC confirms every file of the dropped collection is deleted. Unknown ids are ignored. */
    public void forgetDropped(UUID collectionId) {
        commit(s -> {
            s.forgetDropped(collectionId);
            return null;
        });
    }

    /**
     * Records that writer {@code epoch} (this node's lease) took the bucket over, with the seq of each collection's
     * log from which only it writes ({@link LogTakeover}); the conditional write of the manifest also fences the
     * previous writer's catalog changes. Throws {@link FencedException} when a newer epoch got there first.
     */
    public void recordTakeover(long epoch, Map<String, Long> logPoints) {
        commit(s -> {
            s.takeOver(epoch, logPoints);
            return null;
        });
    }

    /** The epoch of the last writer that recorded a takeover in the manifest (0 when none did). */
    public long writerEpoch() {
        return current.writerEpoch;
    }

    /** Per log name, the takeovers the manifest records, oldest first. */
    public Map<String, List<LogTakeover>> logTakeovers() {
        return current.logTakeovers;
    }

    /** Throws {@link FencedException} unless this node may write (its lease is valid); for GC before it deletes. */
    public void checkWriter() {
        if (readOnly) {
            throw new FencedException("this node opened the catalog read-only (another node holds the writer lease)");
        }
        if (lease != null) {
            lease.checkValid();
        }
    }

    /** The manifest generation this catalog last wrote or read. */
    public long generation() {
        return current.generation;
    }

    public String manifestKey() {
        return manifestKey;
    }

    @Override
    public void close() {
        // The store, the local store and the lease belong to the caller.
    }

    // ---- the commit path

    private <T> T commit(Change<T> change) {
        Pending<T> mine = new Pending<>(change);
        queue.add(mine);
        commitLock.lock();
        try {
            if (!mine.done) {
                commitQueued();
            }
        } finally {
            commitLock.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.value;
    }

    private void commitQueued() {
        List<Pending<?>> batch = new ArrayList<>();
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        List<Pending<?>> applied = new ArrayList<>();
        CatalogState working = applyAll(batch, applied);
        if (working.changed()) {
            try {
                if (!writeManifest(working)) {
                    // Our own earlier write had landed unseen and is adopted now: apply the batch again on it.
                    applied.clear();
                    working = applyAll(batch, applied);
                    if (working.changed() && !writeManifest(working)) {
                        throw changedByAnotherWriter(working.generation - 1);
                    }
                }
            } catch (RuntimeException e) {
                for (Pending<?> p : applied) {
                    p.value = null;
                    p.error = e;
                }
            }
        }
        for (Pending<?> p : batch) {
            p.done = true;
        }
    }

    private CatalogState applyAll(List<Pending<?>> batch, List<Pending<?>> applied) {
        CatalogState working = current.copyForWrite();
        for (Pending<?> p : batch) {
            applyOne(p, working, applied);
        }
        return working;
    }

    private static <T> void applyOne(Pending<T> p, CatalogState working, List<Pending<?>> applied) {
        p.error = null;
        try {
            p.value = p.change.apply(working);
            applied.add(p);
        } catch (RuntimeException e) {
            p.error = e;
        }
    }

    /**
     * Writes the manifest conditionally. False when it had changed but this node holds a valid writer
     * lease: then the change can only be this node's own earlier write whose response was lost (a
     * timeout, a reset), which is adopted; the caller applies its changes again on it.
     */
    private boolean writeManifest(CatalogState working) {
        if (readOnly) {
            throw new FencedException("this node opened the catalog read-only (another node holds the writer lease)");
        }
        if (lease != null) {
            lease.checkValid();
        }
        working.generation = current.generation + 1;
        byte[] bytes = ManifestCodec.encode(working, writerName());
        String newEtag;
        try {
            newEtag = store.putIfMatch(manifestKey, bytes, etag);
        } catch (PreconditionFailedException e) {
            long ours = current.generation;
            adoptManifest();
            if (lease != null && current.writerEpoch > lease.epoch()) {
                lease.markFenced("writer epoch " + current.writerEpoch + " took the catalog manifest over");
                throw changedByAnotherWriter(ours);
            }
            if (lease != null && lease.isValid()) {
                LOG.warn("catalog manifest {} had changed under this node's valid lease (generation {} -> {}): an earlier"
                        + " write of this node landed although it failed; adopted it", manifestKey, ours, current.generation);
                return false;
            }
            throw changedByAnotherWriter(ours);
        }
        etag = newEtag;
        current = working;
        local.applyChanges(working, newEtag);
        return true;
    }

    private FencedException changedByAnotherWriter(long ours) {
        return new FencedException("catalog manifest " + manifestKey + " was changed by another writer (this node had"
                + " generation " + ours + ", the store has " + current.generation + "); the change was not applied");
    }

    private String writerName() {
        return lease == null ? null : lease.nodeId() + "@" + lease.epoch();
    }
}
