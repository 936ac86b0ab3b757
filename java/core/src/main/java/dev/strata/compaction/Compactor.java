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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one collection: folds the log after the current version's cursor into the next version.
 * Steps, in an order that leaves the old or the new version current whatever step a crash hits:
 * write blocks, roots and index files; put the manifest (if absent: versions are immutable); swing the
 * catalog's current version; truncate the log below the new cursor (its segments are left to GC);
 * tell the listeners. One compaction per collection runs at a time. A log longer than one step's budget
 * ({@link #STEP_BYTES}) is compacted in steps, each committing a version of its own, so that a compaction's memory
 * does not grow with the log it folds (a node restarted on a long log, a bulk load with compaction held back).
 */
public final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    /**
     * The log bytes one step of a compaction folds into a version (with {@link #RECORD_OVERHEAD_BYTES} per record):
     * about 80,000 records of 384-d, so that a step's records, their blocks and their index segment fit a 1 GiB
     * heap beside the node's other work. A longer log is compacted in several steps, one version each.
     */
    public static final long STEP_BYTES = 128L << 20;
    /** What a decoded record costs in memory beyond its payload bytes (objects, id string, maps). */
    static final long RECORD_OVERHEAD_BYTES = 256;
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
    private final long stepBytes;
    private volatile boolean stopping;
    private final LongAdder runs = new LongAdder();
    private final LongAdder foldedChanges = new LongAdder();
    private final LongAdder runNanos = new LongAdder();

    public Compactor(Catalog catalog, WriteAheadLog wal, CompactedVersions versions) {
        this(catalog, wal, versions, new VersionWriter(versions.cache(), versions.indexes()));
    }

    /** A compactor writing versions with the given writer (e.g. another block size). */
    public Compactor(Catalog catalog, WriteAheadLog wal, CompactedVersions versions, VersionWriter writer) {
        this(catalog, wal, versions, writer, STEP_BYTES);
    }

    /** A compactor folding at most about {@code stepBytes} of log into each version it commits. */
    public Compactor(Catalog catalog, WriteAheadLog wal, CompactedVersions versions, VersionWriter writer, long stepBytes) {
        if (stepBytes < 1) {
            throw new IllegalArgumentException("stepBytes must be positive, got " + stepBytes);
        }
        this.stepBytes = stepBytes;
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
        long start = System.nanoTime();
        try {
            CompactionResult result = compactLocked(collection);
            if (result.committed()) {
                runs.increment();
                foldedChanges.add(result.changes());
                runNanos.add(System.nanoTime() - start);
            }
            return result;
        } catch (RuntimeException | Error e) {
            runs.increment();
            runNanos.add(System.nanoTime() - start);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** What this compactor's runs have done (a run that found nothing to fold is not counted). */
    public CompactionStats stats() {
        return new CompactionStats(runs.sum(), foldedChanges.sum(), runNanos.sum());
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
        LogRangeReader range = new LogRangeReader(wal, log, record.logCursor() + 1, last);
        int read = 0;
        int changes = 0;
        List<String> deletable = new ArrayList<>();
        Step step = null;
        try {
            do {
                step = step(collection, record, range, last);
                record = step.committed();
                read += step.read();
                changes += step.changes();
                deletable.addAll(step.deletableLogKeys());
            } while (record.logCursor() < last);
        } finally {
            // Told once, of the last version committed (also when a later step failed): publishing each step's
            // version would make the engine replay the rest of a long log into a new tail at every step.
            if (step != null) {
                notifyListeners(step.committed(), step.manifest());
            }
        }
        LOG.debug("compacted collection {}: {} log records, {} changes -> version {}", collection, read, changes,
                record.version());
        return new CompactionResult(collection, record.version(), last, read, changes, deletable);
    }

    /**
     * One step: folds log records from the version's cursor on until their bytes reach the step budget or the
     * range ends, and commits them as the next version. A step holds one budget's worth of records in memory, so
     * a log of any length is compacted in bounded memory; each step's version is complete and current once
     * committed, so a crash between steps loses nothing and the next compaction goes on from there.
     */
    private Step step(UUID collection, CollectionRecord record, LogRangeReader range, long last) {
        try (CompactedVersion previous = record.version() == 0 ? null : versions.open(record.versionKey())) {
            LogMaterializer materializer = new LogMaterializer(previous == null ? id -> null : previous::read);
            long cursor = record.logCursor();
            long bytes = 0;
            int read = 0;
            for (LogRecord r; bytes < stepBytes && (r = range.next()) != null; ) {
                checkNotStopping(collection);
                LogBatch batch = LogBatchCodec.decode(r.payload(), "log of collection " + collection + " seq " + r.seq());
                if (previous != null) {
                    previous.prefetch(batch.ids());
                }
                materializer.apply(batch);
                cursor = r.seq();
                bytes += r.payload().length + (long) batch.size() * RECORD_OVERHEAD_BYTES;
                read++;
            }
            if (cursor < last) {
                LOG.info("compacting collection {} in steps: seqs {}-{} of {} ({} MiB of log) into version {}",
                        collection, record.logCursor() + 1, cursor, last, bytes >> 20, record.version() + 1);
            }
            List<RecordChange> changes = materializer.changes();
            VersionWriter.Written written = writer.write(collection, previous, changes, record.version() + 1, cursor,
                    d -> VectorParams.fromCollection(d, record.configuration(), record.metadata()));
            CollectionRecord committed;
            VersionManifest manifest;
            try {
                manifest = putManifest(written.manifest());
                committed = catalog.commitVersion(collection, record.version(), manifest.version(), manifest.objectKey(), cursor);
            } catch (RuntimeException e) {
                writer.discard(collection, written);
                throw e;
            }
            writer.forgetSuperseded(written);
            return new Step(committed, manifest, read, changes.size(), truncate(logName(collection), cursor));
        }
    }

    /** What one step committed. */
    private record Step(CollectionRecord committed, VersionManifest manifest, int read, int changes,
                        List<String> deletableLogKeys) {}

    private void notifyListeners(CollectionRecord committed, VersionManifest manifest) {
        for (CompactionListener l : listeners) {
            try {
                l.onVersionCommitted(committed, manifest);
            } catch (RuntimeException e) {
                LOG.warn("compaction listener failed after collection {} reached version {}", committed.id(),
                        manifest.version(), e);
            }
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
