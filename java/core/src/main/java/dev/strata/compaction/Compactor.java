package dev.strata.compaction;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.CompactedVersion;
import dev.strata.segment.CompactedVersions;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.LogMaterializer;
import dev.strata.segment.RecordChange;
import dev.strata.segment.VectorParams;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionWriter;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.PreconditionFailedException;
import dev.strata.wal.LogRecord;
import dev.strata.wal.WriteAheadLog;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one collection: folds the log after the current version's cursor into the next version.
 * Steps, in an order that leaves the old or the new version current whatever step a crash hits:
 * write blocks, roots and index files; put the manifest (if absent: versions are immutable); swing the
 * catalog's current version; truncate the log below the new cursor (its segments are left to GC);
 * tell the listeners. One compaction per collection runs at a time.
 */
public final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    /** Log records read per call; the materializer folds them as they come. */
    static final int READ_CHUNK = 1000;
    /** A crashed attempt may have left a manifest under the next version number: skip at most this many. */
    private static final int MAX_ORPHAN_MANIFESTS = 64;

    private final Catalog catalog;
    private final WriteAheadLog wal;
    private final CompactedVersions versions;
    private final ObjectStore store;
    private final VersionWriter writer;
    private final List<CompactionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Manifest format by version key (a version never changes); bounded by the versions a node sees. */
    private final Map<String, Integer> formats = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public Compactor(Catalog catalog, WriteAheadLog wal, CompactedVersions versions) {
        this(catalog, wal, versions, new VersionWriter(versions.cache(), versions.indexes()));
    }

    /** A compactor writing versions with the given writer (e.g. another block size). */
    public Compactor(Catalog catalog, WriteAheadLog wal, CompactedVersions versions, VersionWriter writer) {
        this.catalog = catalog;
        this.wal = wal;
        this.versions = versions;
        this.store = versions.cache().store();
        this.writer = writer;
    }

    public void addListener(CompactionListener listener) {
        listeners.add(listener);
    }

    /** The log name of a collection (the engine appends under the same name). */
    public static String logName(UUID collection) {
        return collection.toString();
    }

    /**
     * Compacts the collection's log up to its last durable record into a new version; waits for a
     * compaction of the same collection already running. Returns what was done (nothing when the log
     * has no record after the current version).
     */
    public CompactionResult compact(UUID collection) {
        ReentrantLock lock = locks.computeIfAbsent(collection, c -> new ReentrantLock());
        lock.lock();
        try {
            return compactLocked(collection);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The node is stopping: a compaction reading its log stops at the next chunk, and none starts. Nothing is lost:
     * the log stays until a version takes it in. (A compaction already writing its version finishes it: its index
     * build is one native call.)
     */
    public void stop() {
        stopping = true;
    }

    /** Whether a compaction of the collection is running now. */
    public boolean isCompacting(UUID collection) {
        ReentrantLock lock = locks.get(collection);
        return lock != null && lock.isLocked();
    }

    /**
     * Whether the collection's current version is of an older manifest format, which a compaction converts
     * even with no new log (so {@code strata compact} migrates a bucket). Read once per version key.
     */
    private boolean needsConversion(CollectionRecord record) {
        if (record.version() == 0 || record.versionKey() == null) {
            return false;
        }
        return formats.computeIfAbsent(record.versionKey(),
                key -> versions.manifest(key).format()) < VersionManifest.FORMAT;
    }

    private CompactionResult compactLocked(UUID collection) {
        CollectionRecord record = catalog.getCollection(collection);
        String log = logName(collection);
        long last = wal.lastSeq(log);
        if (last <= record.logCursor() && !needsConversion(record)) {
            return new CompactionResult(collection, record.version(), record.logCursor(), 0, 0, List.of());
        }
        last = Math.max(last, record.logCursor());
        try (CompactedVersion previous = record.version() == 0 ? null : versions.open(record.versionKey())) {
            LogMaterializer materializer = new LogMaterializer(previous == null ? id -> null : previous::read);
            int read = 0;
            for (long next = record.logCursor() + 1; next <= last; ) {
                checkNotStopping(collection);
                List<LogRecord> chunk = wal.read(log, next, (int) Math.min(READ_CHUNK, last - next + 1));
                if (chunk.isEmpty()) {
                    throw new IllegalStateException("the log of collection " + collection + " ends before seq " + next
                            + " but its last durable seq is " + last);
                }
                for (LogRecord r : chunk) {
                    checkNotStopping(collection);
                    LogBatch batch = LogBatchCodec.decode(r.payload(), "log of collection " + collection + " seq " + r.seq());
                    if (previous != null) {
                        previous.prefetch(batch.ids());
                    }
                    materializer.apply(batch);
                    next = r.seq() + 1;
                    read++;
                }
            }
            List<RecordChange> changes = materializer.changes();
            VersionWriter.Written written = writer.write(collection, previous, changes, record.version() + 1, last,
                    d -> VectorParams.fromCollection(d, record.configuration(), record.metadata()));
            CollectionRecord committed;
            VersionManifest manifest;
            try {
                manifest = putManifest(written.manifest());
                committed = catalog.commitVersion(collection, record.version(), manifest.version(), manifest.objectKey(), last);
            } catch (RuntimeException e) {
                writer.discard(collection, written);
                throw e;
            }
            writer.forgetSuperseded(written);
            List<String> deletable = truncate(log, last);
            for (CompactionListener l : listeners) {
                try {
                    l.onVersionCommitted(committed, manifest);
                } catch (RuntimeException e) {
                    LOG.warn("compaction listener failed after collection {} reached version {}", collection,
                            manifest.version(), e);
                }
            }
            LOG.debug("compacted collection {}: {} log records, {} changes -> version {}", collection, read,
                    changes.size(), manifest.version());
            return new CompactionResult(collection, manifest.version(), last, read, changes.size(), deletable);
        }
    }

    private void checkNotStopping(UUID collection) {
        if (stopping) {
            throw new IllegalStateException("the compaction of collection " + collection
                    + " stopped: the node is stopping (the next start compacts its log)");
        }
    }

    /**
     * Puts the manifest under the first free version number: one taken by a manifest the catalog never
     * committed (a crashed attempt) stays as it is, for GC.
     */
    private VersionManifest putManifest(VersionManifest m) {
        VersionManifest candidate = m;
        for (int attempt = 0; ; attempt++) {
            try {
                store.putIfAbsent(candidate.objectKey(), candidate.encode());
                versions.remember(candidate);
                return candidate;
            } catch (PreconditionFailedException e) {
                if (attempt >= MAX_ORPHAN_MANIFESTS) {
                    throw e;
                }
                candidate = m.withVersion(candidate.version() + 1);
            }
        }
    }

    /** Truncates the log below the new cursor; a failure here leaves only extra log for GC and the next run. */
    private List<String> truncate(String log, long cursor) {
        try {
            return wal.truncateBefore(log, cursor + 1);
        } catch (RuntimeException e) {
            LOG.warn("could not truncate the log {} before seq {} after compaction", log, cursor + 1, e);
            return List.of();
        }
    }
}
