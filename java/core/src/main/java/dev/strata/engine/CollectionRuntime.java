package dev.strata.engine;

import dev.strata.api.Cancellation;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.CollectionSchema;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.IndexingStatus;
import dev.strata.api.InternalException;
import dev.strata.api.RecordSet;
import dev.strata.api.Validator;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.CollectionUpdate;
import dev.strata.compaction.CompactionFailures;
import dev.strata.nativeio.Space;
import dev.strata.query.LogTail;
import dev.strata.api.WriteStalledException;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.LogOperation;
import dev.strata.segment.VersionView;
import dev.strata.wal.LogReader;
import dev.strata.wal.LogRecord;
import dev.strata.wal.SegmentUploadFailedException;
import dev.strata.wal.WriteAheadLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The live state of one open collection: its pinned version with the log tail over it, and the
 * write path. A write is appended to the log (durable when the append returns; concurrent writers
 * share the log's group commit) and then applied to the tail strictly in seq order by a small
 * sequencer; the writer returns once its own batch is applied, so its next read sees it.
 *
 * <p>On a read-only node a runtime is a follower: it has no log of its own to append to, reads the log the
 * writer uploaded, and {@link #follow} brings it to what the writer committed and uploaded since.
 */
public final class CollectionRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionRuntime.class);
    private static final int REPLAY_CHUNK = 1024;
    private static final long SLOW_OPEN_MS = 250;
    private static final String EMBEDDING_FUNCTION = "embedding_function";
    private static final String SCHEMA = "schema";
    private static final long APPLY_WAIT_MS = 60_000;

    private final UUID id;
    private final String logName;
    private final Space space;
    private final WriteAheadLog wal; // null on a follower
    private final LogReader log;
    private final Catalog catalog;
    private final VersionOpener opener;
    private final TailLimit tailLimit;
    private final Object sequencer = new Object();
    /** How often a paced write looks at the graph's lag again. */
    private static final long PACING_POLL_MS = 10;
    // Guarded by sequencer: logged batches waiting for their predecessors.
    private final TreeMap<Long, LogBatch> pending = new TreeMap<>();
    private volatile Snapshot current;
    private volatile OptionalInt dimension;
    // Set when an append fails; guarded by sequencer for the waiters, volatile for the fast check.
    private volatile RuntimeException logFailure;
    private boolean closed;

    private CollectionRuntime(CollectionRecord record, WriteAheadLog wal, LogReader log, Catalog catalog,
                              VersionOpener opener, TailLimit tailLimit) {
        this.tailLimit = tailLimit;
        this.id = record.id();
        this.logName = logName(record.id());
        this.space = Space.of(configuration(record).space().wireName());
        this.wal = wal;
        this.log = log;
        this.catalog = catalog;
        this.opener = opener;
        this.dimension = dimensionOf(record);
    }

    /**
     * Opens the collection's version and rebuilds its tail from the log after the version's cursor; writes
     * wait for compaction while the tail is at {@code tailLimit}.
     */
    public static CollectionRuntime open(CollectionRecord record, WriteAheadLog wal, Catalog catalog, VersionOpener opener,
                                         TailLimit tailLimit) {
        CollectionRuntime runtime = new CollectionRuntime(record, wal, wal, catalog, opener, tailLimit);
        return runtime.load(record, wal.lastSeq(runtime.logName), false);
    }

    /**
     * Opens a follower on a read-only node: the version the record names, with a tail of the log the writer
     * uploaded after its cursor, as far as it goes.
     */
    public static CollectionRuntime openFollower(CollectionRecord record, LogReader uploaded, VersionOpener opener) {
        CollectionRuntime runtime = new CollectionRuntime(record, null, uploaded, null, opener, TailLimit.NONE);
        return runtime.load(record, Long.MAX_VALUE, true);
    }

    /**
     * Opens the record's version and replays the log after its cursor up to {@code upTo}; an open slower than
     * {@link #SLOW_OPEN_MS} (a first request waited for it) is logged at INFO with where its time went.
     */
    private CollectionRuntime load(CollectionRecord record, long upTo, boolean toEnd) {
        long start = System.nanoTime();
        VersionView version = opener.open(record);
        long opened = System.nanoTime();
        current = replay(version, upTo, toEnd);
        long versionMs = TimeUnit.NANOSECONDS.toMillis(opened - start);
        long tailMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
        LOG.atLevel(versionMs + tailMs >= SLOW_OPEN_MS ? Level.INFO : Level.DEBUG)
                .log("opened collection {}: its version in {} ms, its log tail (seqs {}-{}) in {} ms", id, versionMs,
                        version.logCursor() + 1, current.tail.lastSeq(), tailMs);
        return this;
    }

    private static OptionalInt dimensionOf(CollectionRecord record) {
        return record.dimension() == null ? OptionalInt.empty() : OptionalInt.of(record.dimension());
    }

    /** The log's name for a collection: its id. */
    public static String logName(UUID collectionId) {
        return collectionId.toString();
    }

    static CollectionConfiguration configuration(CollectionRecord record) {
        Map<String, Object> stored = record.configuration();
        if (stored == null || stored.isEmpty()) {
            return CollectionConfiguration.defaults();
        }
        if (stored.containsKey(SCHEMA)) {
            stored = new LinkedHashMap<>(stored);
            stored.remove(SCHEMA);
        }
        return CollectionConfiguration.fromMap(stored);
    }

    /** The embedding function the record keeps (beside the configuration, as Chroma does), or null. */
    @SuppressWarnings("unchecked")
    static EmbeddingFunctionConfig embeddingFunction(CollectionRecord record) {
        Object ef = record.configuration() == null ? null : record.configuration().get(EMBEDDING_FUNCTION);
        return ef instanceof Map<?, ?> m ? EmbeddingFunctionConfig.fromMap((Map<String, ?>) m, EMBEDDING_FUNCTION) : null;
    }

    /** The schema the collection was created with, or null for Chroma's default one. */
    @SuppressWarnings("unchecked")
    static CollectionSchema schema(CollectionRecord record) {
        Object schema = record.configuration() == null ? null : record.configuration().get(SCHEMA);
        return schema instanceof Map<?, ?> m ? CollectionSchema.fromStoredMap((Map<String, ?>) m) : null;
    }

    /** The configuration as the catalog stores it: Chroma's shape plus the fields Chroma does not show. */
    static Map<String, Object> stored(CollectionConfiguration configuration) {
        if (configuration.isSpann()) {
            // Every SPANN field, for the index that will read them (configuration_json shows only nine).
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("spann", configuration.spann().toStoredMap());
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>(configuration.toMap());
        @SuppressWarnings("unchecked")
        Map<String, Object> hnsw = new LinkedHashMap<>((Map<String, Object>) out.get("hnsw"));
        hnsw.put("num_threads", configuration.numThreads());
        hnsw.put("batch_size", configuration.batchSize());
        out.put("hnsw", hnsw);
        return out;
    }

    /** As {@link #stored(CollectionConfiguration)}, with the embedding function and schema kept beside it. */
    static Map<String, Object> stored(CollectionConfiguration configuration, EmbeddingFunctionConfig embeddingFunction,
                                      CollectionSchema schema) {
        Map<String, Object> out = stored(configuration);
        if (embeddingFunction != null) {
            out.put(EMBEDDING_FUNCTION, embeddingFunction.toMap());
        }
        if (schema != null) {
            out.put(SCHEMA, schema.toStoredMap());
        }
        return out;
    }

    public UUID id() {
        return id;
    }

    public OptionalInt dimension() {
        return dimension;
    }

    /** Validates, logs and applies a write; returns once it is durable and visible to reads. */
    public void write(Validator validator, LogOperation op, RecordSet records) {
        OptionalInt dim = dimension;
        LogBatch batch = validator.toLogBatch(op, records, dim);
        if (dim.isEmpty() && op != LogOperation.UPDATE) {
            // Add and upsert carry an embedding per record: the first one fixes the dimension.
            synchronized (this) {
                if (dimension.isEmpty()) {
                    int d = batch.embeddings()[0].length;
                    catalog.updateCollection(id, CollectionUpdate.NONE.withDimension(d));
                    dimension = OptionalInt.of(d);
                } else {
                    batch = validator.toLogBatch(op, records, dimension);
                }
            }
        }
        append(batch);
    }

    /**
     * Throws when an earlier append failed: the log may hold that write although no read shows it, so
     * no write may be acknowledged, not even a delete that finds nothing to delete, until a reopen
     * replays the log.
     */
    public void checkWritable() {
        RuntimeException failed = logFailure;
        if (failed != null) {
            throw logFailed(failed);
        }
    }

    /** Logs and applies a batch that is already valid (a delete of resolved ids). */
    public void append(LogBatch batch) {
        checkWritable();
        awaitTailRoom();
        awaitIndexCatchUp();
        long seq;
        try {
            seq = wal.append(logName, LogBatchCodec.encode(batch));
        } catch (IllegalArgumentException e) {
            // Refused before it got a seq: a write is one log record, all of it or nothing.
            throw new dev.strata.api.InvalidArgumentException("The write was refused whole, nothing of it is stored: "
                    + e.getMessage() + "; send it in smaller batches", e);
        } catch (SegmentUploadFailedException e) {
            // Durability s3: the record is in the local log at this seq and the uploader keeps putting it,
            // so a reopen would show it: the tail takes it too, and later writes go on in order. Only the
            // acknowledgement is refused.
            applyInOrder(e.seq(), batch);
            if (e.getCause() instanceof dev.strata.wal.WalFencedException fenced) {
                // Another node took the bucket over: this node's log no longer counts, so the record is in no log a
                // reader of the bucket sees; it stays only in this fenced node's memory.
                throw new dev.strata.api.NotWriterException("This node may no longer write: another node took the"
                        + " bucket over; the write was not acknowledged and is not in the bucket's log ("
                        + fenced.getMessage() + "); send writes to the new writer", e);
            }
            throw new InternalException("the write was not acknowledged: " + e.getMessage()
                    + "; it is kept and visible, like a write whose outcome is unknown", e);
        } catch (RuntimeException e) {
            // The failed append may have used a seq: later ones could never be applied in order.
            synchronized (sequencer) {
                if (logFailure == null) {
                    logFailure = e;
                }
                sequencer.notifyAll();
            }
            throw e;
        }
        applyInOrder(seq, batch);
    }

    /**
     * Holds a write while the tail is at its limit, until a compaction publishes a version that takes the
     * tail in (publish notifies the sequencer). Reads scan the tail exhaustively, so an unbounded tail makes
     * every query as slow as a scan of everything written since the last compaction; this is the LSM
     * engines' write stall. A write that waits too long fails before anything of it is logged.
     */
    private void awaitTailRoom() {
        if (!tailLimit.bounded() || current.tail.size() < tailLimit.maxRecords()) {
            return;
        }
        long deadline = System.nanoTime() + tailLimit.timeoutMs() * 1_000_000;
        CompactionFailures.Failure before = tailLimit.failingCompaction().apply(id);
        tailLimit.onStall().run();
        Cancellation cancellation = Cancellation.current();
        synchronized (sequencer) {
            while (!closed && current.tail.size() >= tailLimit.maxRecords()) {
                if (cancellation != null && cancellation.reason() != null) {
                    // The node is stopping (or the caller gave up): refuse now rather than be cut off mid-wait.
                    throw new WriteStalledException("collection " + id + " has " + current.tail.size()
                            + " uncompacted records, at its limit of " + tailLimit.maxRecords()
                            + " (STRATA_MAX_TAIL_RECORDS), and the write stopped waiting for compaction: "
                            + cancellation.reason() + "; nothing was written: retry");
                }
                CompactionFailures.Failure failing = tailLimit.failingCompaction().apply(id);
                if (failing != null && (before == null || failing.attempts() > before.attempts()
                        || !failing.since().equals(before.since()))) {
                    // The attempt this write woke failed too: waiting longer would not make room.
                    throw new WriteStalledException("collection " + id + " has " + current.tail.size()
                            + " uncompacted records, at its limit of " + tailLimit.maxRecords()
                            + " (STRATA_MAX_TAIL_RECORDS), and its compaction has failed " + failing.attempts()
                            + " times since " + failing.since() + ": " + failing.cause() + "; nothing was written:"
                            + " writes resume once a compaction succeeds (strata stats, /metrics)");
                }
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new WriteStalledException("collection " + id + " has " + current.tail.size()
                            + " uncompacted records, at its limit of " + tailLimit.maxRecords()
                            + " (STRATA_MAX_TAIL_RECORDS), and compaction made no room within " + tailLimit.timeoutMs()
                            + " ms (STRATA_WRITE_STALL_TIMEOUT_MS); nothing was written: retry later");
                }
                try {
                    // Woken by every publish; also every 100 ms, to see a compaction attempt that failed meanwhile
                    // and a stop.
                    sequencer.wait(Math.min(leftMs, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InternalException("interrupted while waiting for compaction to make room", e);
                }
            }
        }
    }

    /**
     * Paces a write while the collection's warm graph and its tail lag the writes by {@link IndexPacing#maxLag()}
     * records or more (compaction is woken at once): at most {@link IndexPacing#maxWaitMs()}, then the write goes
     * ahead. Every write first starts a graph build still waiting for its delay. Neither progress notifies the
     * sequencer, so this looks again every few milliseconds.
     */
    private void awaitIndexCatchUp() {
        IndexPacing pacing = tailLimit.pacing();
        if (pacing.maxLag() == 0) {
            return;
        }
        pacing.expedite().accept(id);
        if (!indexLags(pacing)) {
            return;
        }
        tailLimit.onStall().run();
        long start = System.nanoTime();
        long deadline = start + pacing.maxWaitMs() * 1_000_000;
        Cancellation cancellation = Cancellation.current();
        try {
            synchronized (sequencer) {
                while (!closed && indexLags(pacing)) {
                    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                    if (leftMs <= 0 || (cancellation != null && cancellation.reason() != null)) {
                        return; // paced, never refused: the write goes ahead
                    }
                    sequencer.wait(Math.min(leftMs, PACING_POLL_MS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pacing.stats().paced(System.nanoTime() - start);
        }
    }

    /** Whether the graph and the tail lag the writes enough that a write waits. */
    private boolean indexLags(IndexPacing pacing) {
        return pacing.holds(current.tail.size() + pacing.lag().applyAsLong(id));
    }

    private InternalException logFailed(RuntimeException cause) {
        return new InternalException("an append to the log of collection " + id + " failed ("
                + Errors.translate(cause).getMessage() + "); writes to it are refused until Strata is reopened,"
                + " which recovers the log", cause);
    }

    /** Pins the current version and tail for one read; close the pin when done. */
    public Pin pin() {
        while (true) {
            Snapshot s = current;
            if (s.acquire()) {
                return new Pin(s);
            }
            if (s == current) {
                throw new InternalException("collection " + id + " is closed", null);
            }
        }
    }

    /**
     * The compaction backlog as Chroma reports it: the records of the compacted version, and the record operations
     * (one per id of each logged batch) in the tail over it.
     */
    public IndexingStatus indexingStatus() {
        try (Pin pin = pin()) {
            return new IndexingStatus(pin.tail().base().count(), pin.snapshot.ops.get());
        }
    }

    /** Records in the tail (touched ids, tombstones included): what compaction's threshold looks at. */
    public int tailSize() {
        return current.tail.size();
    }

    /** The seq of the last batch applied to the tail. */
    public long appliedSeq() {
        return current.tail.lastSeq();
    }

    /**
     * Makes a newly committed version current: opens it, rebuilds the tail on it from the log after
     * its cursor, and swaps both at once; a read sees either the old pair or the new one. Writers
     * wait during the swap, readers do not. Called by compaction after the catalog commit.
     */
    public void publish(CollectionRecord committed) {
        VersionView version = opener.open(committed);
        synchronized (sequencer) {
            // The compactor may have taken durable writes whose writers have not applied them yet: they
            // are in the version, so the new tail starts after them and their writers find them applied.
            long applied = Math.max(current.tail.lastSeq(), version.logCursor());
            Snapshot old = current;
            current = replay(version, applied, false);
            old.release();
            pending.headMap(applied, true).clear();
            sequencer.notifyAll();
        }
    }

    /**
     * A follower catches up with the writer: to the version {@code record} names when it is newer than the one
     * it reads (opened, with a fresh tail), else by applying the log records uploaded after its tail in place.
     * Readers see the old snapshot or the new one, and within a tail whole batches, as on the writer.
     */
    public void follow(CollectionRecord record) {
        if (wal != null) {
            throw new IllegalStateException("collection " + id + " is written on this node: it has nothing to follow");
        }
        dimension = dimensionOf(record);
        if (record.version() != current.tail.base().version()) {
            VersionView version = opener.open(record);
            Snapshot fresh;
            try {
                fresh = replay(version, Long.MAX_VALUE, true);
            } catch (RuntimeException e) {
                version.close();
                throw e;
            }
            synchronized (sequencer) {
                Snapshot old = closed ? fresh : current;
                current = closed ? current : fresh;
                old.release();
            }
            return;
        }
        synchronized (sequencer) {
            if (closed) {
                return;
            }
            LogTail tail = current.tail;
            for (List<LogRecord> records; !(records = log.read(logName, tail.lastSeq() + 1, REPLAY_CHUNK)).isEmpty(); ) {
                current.ops.addAndGet(applyAll(tail, records));
            }
        }
    }

    @Override
    public void close() {
        synchronized (sequencer) {
            if (closed) {
                return;
            }
            closed = true;
            current.release();
        }
    }

    /**
     * A tail over {@code version} with the log after its cursor up to {@code upTo}; where the log ends first, an
     * error unless {@code toEnd} (a follower reads as far as the writer uploaded).
     */
    private Snapshot replay(VersionView version, long upTo, boolean toEnd) {
        LogTail tail = new LogTail(version, space);
        long ops = 0;
        long next = version.logCursor() + 1;
        while (next <= upTo) {
            List<LogRecord> records = log.read(logName, next, (int) Math.min(REPLAY_CHUNK, upTo - next + 1));
            if (records.isEmpty()) {
                if (toEnd) {
                    break;
                }
                throw new InternalException("the log of collection " + id + " ends at seq " + (next - 1)
                        + " but seq " + upTo + " was expected", null);
            }
            ops += applyAll(tail, records);
            next = tail.lastSeq() + 1;
        }
        return new Snapshot(tail, ops);
    }

    /** Applies the records; returns their record operations. */
    private long applyAll(LogTail tail, List<LogRecord> records) {
        long ops = 0;
        for (LogRecord r : records) {
            LogBatch batch = LogBatchCodec.decode(r.payload(), "log of collection " + id + " seq " + r.seq());
            tail.apply(r.seq(), batch);
            ops += batch.ids().size();
        }
        return ops;
    }

    private void applyInOrder(long seq, LogBatch batch) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_WAIT_MS);
        synchronized (sequencer) {
            LogTail tail = current.tail;
            if (seq > tail.lastSeq()) { // else a published version already holds it
                pending.put(seq, batch);
            }
            while (!pending.isEmpty() && pending.firstKey() == tail.lastSeq() + 1) {
                var next = pending.pollFirstEntry();
                tail.apply(next.getKey(), next.getValue());
                current.ops.addAndGet(next.getValue().ids().size());
            }
            sequencer.notifyAll();
            while (current.tail.lastSeq() < seq) {
                if (logFailure != null) {
                    throw logFailed(logFailure);
                }
                long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (waitMs <= 0) {
                    throw new InternalException("write seq " + seq + " of collection " + id
                            + " is durable but an earlier write never completed; it becomes visible on restart", null);
                }
                try {
                    sequencer.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InternalException("interrupted while applying write seq " + seq + " (it is durable)", e);
                }
            }
        }
    }

    /** One pinned (version, tail) pair; released when its last reader and the runtime let go of it. */
    private static final class Snapshot {
        final LogTail tail;
        /** Record operations applied to the tail (the ids of its batches, repeats included). */
        final java.util.concurrent.atomic.AtomicLong ops = new java.util.concurrent.atomic.AtomicLong();
        // The runtime's own reference counts as one while the snapshot is current.
        private final AtomicInteger refs = new AtomicInteger(1);

        Snapshot(LogTail tail, long ops) {
            this.tail = tail;
            this.ops.set(ops);
        }

        boolean acquire() {
            while (true) {
                int r = refs.get();
                if (r == 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                tail.close();
                tail.base().close();
            }
        }
    }

    /** A read's hold on one consistent snapshot. */
    public static final class Pin implements AutoCloseable {
        private final Snapshot snapshot;
        private boolean released;

        private Pin(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        public LogTail tail() {
            return snapshot.tail;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                snapshot.release();
            }
        }
    }
}
