package dev.strata.wal;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalFolders;
import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of every collection on this node. An append is one opaque payload (a whole batch
 * of writes) and gets the next sequence number of its collection (1, 2, 3, ...); it returns once durable
 * per {@link WalOptions#durability()}. Compaction reads records from its cursor and then calls
 * {@link #truncateBefore}. Thread-safe.
 *
 * <p>Log objects wholly below a truncation point are not deleted here: {@link #truncateBefore} returns
 * their keys, and GC deletes them after its grace period (or finds them by listing
 * {@link LogSegment#prefix} and parsing keys with {@link LogSegment#parse}). The newest segment of a
 * collection is never returned, so its key keeps the log's last seq for a node that recovers from the store.
 */
public final class WriteAheadLog implements LogReader, AutoCloseable {

    /** The {@link LocalKv} column family holding the log index: name it when opening the node's LocalKv. */
    public static final String KV_FAMILY = WalIndex.FAMILY;

    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final long READ_CACHE_BYTES = 32L << 20;

    private final Map<String, CollectionLog> logs;
    private final WalIndex index;
    private final WalCounters counters = new WalCounters();
    private final GroupCommitter committer;
    private final Thread committerThread;
    private final SegmentUploader uploader;
    private final ScheduledExecutorService uploadSchedule;
    private final ExecutorService putPool;
    private final SegmentReader reader;
    private final BlockCache objectCache;
    private volatile boolean closed;

    private WriteAheadLog(Path walDir, LocalKv kv, ObjectStore store, WalOptions options, Collection<String> storeLogs,
                          long epoch, LogFences fences) {
        this.index = new WalIndex(kv);
        this.logs = new ConcurrentHashMap<>(new WalRecovery(walDir, index, store, storeLogs, fences).recover());
        this.uploader = new SegmentUploader(logs, store, index, counters, epoch);
        this.putPool = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("wal-put-", 0).factory());
        this.committer = new GroupCommitter(logs, walDir, options, index, store, uploader, putPool, counters);
        this.objectCache = new BlockCache(store, READ_CACHE_BYTES);
        this.reader = new SegmentReader(objectCache);
        this.committerThread = Thread.ofPlatform().name("wal-committer").daemon().start(committer);
        this.uploadSchedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("wal-uploader").factory());
        uploadSchedule.scheduleWithFixedDelay(this::uploadPass, 0, options.uploadIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the log in {@code walDir}, recovering what is there (or, when the folder and the index are
     * empty, what the object store holds). {@code kv} must have been opened with the column family "wal".
     */
    public static WriteAheadLog open(Path walDir, LocalKv kv, ObjectStore store, WalOptions options) {
        return new WriteAheadLog(walDir, kv, store, options, null, 0, LogFences.none());
    }

    /**
     * Opens as {@link #open(Path, LocalKv, ObjectStore, WalOptions)} does, but a new node (no local files, no
     * index) looks in the object store only for the logs of {@code storeLogs} (the catalog's collections),
     * one listing of {@code c/{collection}/log/} each, in parallel, instead of listing every object under
     * {@code c/}: at a million records that is thousands of block keys, one S3 page per thousand, in sequence.
     */
    public static WriteAheadLog open(Path walDir, LocalKv kv, ObjectStore store, WalOptions options,
            Collection<String> storeLogs) {
        return new WriteAheadLog(walDir, kv, store, options, java.util.Objects.requireNonNull(storeLogs, "storeLogs"),
                0, LogFences.none());
    }

    /**
     * Opens the log of the writer of epoch {@code epoch}: segments are uploaded under keys carrying the epoch, and
     * a new node recovering from the store counts only the segments {@code fences} (the catalog's takeovers)
     * admits, so a fenced writer's late uploads are not taken for the log.
     */
    public static WriteAheadLog open(Path walDir, LocalKv kv, ObjectStore store, WalOptions options,
            Collection<String> storeLogs, long epoch, LogFences fences) {
        if (epoch < 1) {
            throw new IllegalArgumentException("writer epoch must be >= 1, got " + epoch);
        }
        return new WriteAheadLog(walDir, kv, store, options, java.util.Objects.requireNonNull(storeLogs, "storeLogs"),
                epoch, java.util.Objects.requireNonNull(fences, "fences"));
    }

    /**
     * Forgets the log in {@code walDir} and its index: another writer took the bucket over since this folder's
     * node last wrote it, so seqs this folder holds but never uploaded may be the successor's too. The files are
     * moved to {@code {walDir}-fenced} (replacing an older such folder) for an operator to inspect, not deleted.
     */
    public static void discardLocal(Path walDir, LocalKv kv) {
        try {
            Path aside = walDir.resolveSibling(walDir.getFileName() + "-fenced");
            LocalFolders.deleteTree(aside);
            if (java.nio.file.Files.exists(walDir)) {
                java.nio.file.Files.move(walDir, aside);
                LOG.warn("another writer took the bucket over since this node last wrote it: its local log was moved"
                        + " to {} and the log is recovered from the bucket", aside);
            }
            WalIndex index = new WalIndex(kv);
            index.clear();
            index.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set the stale log " + walDir + " aside", e);
        }
    }

    /** True when {@code walDir} or the index holds any log (a folder that was a writer's). */
    public static boolean hasLocal(Path walDir, LocalKv kv) {
        try (var files = java.nio.file.Files.list(walDir)) {
            if (files.findAny().isPresent()) {
                return true;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no folder: look at the index only
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + walDir, e);
        }
        WalIndex index = new WalIndex(kv);
        try {
            return !index.loadAll().isEmpty();
        } finally {
            index.close();
        }
    }

    /**
     * The first seq of {@code collection}'s log that is not known to be in the store: where this writer's epoch takes
     * the log over (1 for a log this node does not have). Segments of older epochs reaching it are a fenced writer's.
     */
    public long takeoverPoint(String collection) {
        CollectionLog log = logs.get(collection);
        if (log == null) {
            return 1;
        }
        synchronized (log) {
            for (Segment s : log.segments.values()) {
                if (!s.uploaded) {
                    return s.firstSeq;
                }
            }
            return log.nextSeq;
        }
    }

    /** Appends one record and waits until it is durable; returns its sequence number. */
    public long append(String collection, byte[] payload) {
        try {
            return appendAsync(collection, payload).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Appends one record; the future completes with its sequence number once it is durable. It is
     * completed on the log's committer thread: attach slow continuations with the {@code *Async}
     * methods so they do not delay other appends.
     */
    public CompletableFuture<Long> appendAsync(String collection, byte[] payload) {
        ObjectLayout.requireValidCollection(collection);
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (payload.length > WalOptions.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the limit of "
                    + WalOptions.MAX_PAYLOAD_BYTES + " bytes per record");
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closed || !committer.submit(new GroupCommitter.Append(collection, payload.clone(), done))) {
            done.completeExceptionally(new IllegalStateException("write-ahead log is closed"));
        }
        return done;
    }

    /**
     * Up to {@code maxRecords} durable records from {@code fromSeqInclusive} on, in seq order; fewer (or
     * none) when the log ends first. Reading below the truncation point is an error.
     */
    @Override
    public List<LogRecord> read(String collection, long fromSeqInclusive, int maxRecords) {
        ObjectLayout.requireValidCollection(collection);
        if (fromSeqInclusive < 1) {
            throw new IllegalArgumentException("fromSeqInclusive must be >= 1, got " + fromSeqInclusive);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
        }
        CollectionLog log = logs.get(collection);
        if (log == null) {
            return List.of();
        }
        List<SegmentReader.View> views = new ArrayList<>();
        long to;
        synchronized (log) {
            if (fromSeqInclusive < log.lowWatermark) {
                throw new IllegalArgumentException("records of collection " + collection + " below seq "
                        + log.lowWatermark + " were truncated; cannot read from " + fromSeqInclusive);
            }
            to = Math.min(log.durableSeq, fromSeqInclusive + maxRecords - 1);
            Long start = log.segments.floorKey(fromSeqInclusive);
            for (Segment s : log.segments.tailMap(start == null ? fromSeqInclusive : start).values()) {
                if (s.firstSeq > to) {
                    break;
                }
                long last = Math.min(s.lastSeq, to);
                if (last < fromSeqInclusive) {
                    continue;
                }
                long from = Math.max(fromSeqInclusive, s.firstSeq);
                views.add(new SegmentReader.View(collection, s.firstSeq, s.lastSeq, s.epoch, s.file, s.localPresent, s.uploaded,
                        s.localPresent ? s.offsetOf(from) : 0, s.localPresent ? s.offsetOf(last + 1) : 0));
            }
        }
        List<LogRecord> out = new ArrayList<>();
        reader.readAll(views, fromSeqInclusive, to, out);
        return out;
    }

    /** The sequence number of the collection's last durable record; 0 when it has none. */
    public long lastSeq(String collection) {
        ObjectLayout.requireValidCollection(collection);
        CollectionLog log = logs.get(collection);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.durableSeq;
        }
    }

    /**
     * Records below {@code seq} are no longer needed (compaction advanced its cursor to {@code seq}).
     * Local files wholly below are deleted once uploaded; returns the object keys of uploaded segments
     * wholly below, now forgotten by the log, for GC to delete after its grace period. Segments not yet
     * uploaded are forgotten after their upload and found by GC through listing.
     */
    public List<String> truncateBefore(String collection, long seq) {
        ObjectLayout.requireValidCollection(collection);
        CollectionLog log = logs.get(collection);
        if (log == null) {
            throw new IllegalArgumentException("collection " + collection + " has no log");
        }
        synchronized (log) {
            if (seq < 1 || seq > log.durableSeq + 1) {
                throw new IllegalArgumentException("cannot truncate the log of collection " + collection
                        + " before seq " + seq + ": its durable records are " + log.lowWatermark + "-" + log.durableSeq);
            }
            if (seq <= log.lowWatermark) {
                return List.of();
            }
            log.lowWatermark = seq;
            index.putLowWatermark(collection, seq);
        }
        List<String> keys = uploader.dropTruncated(log);
        keys.forEach(objectCache::invalidate);
        return keys;
    }

    /** Deletes the collection's log: local files, index entries and its objects in the store. */
    public void deleteCollection(String collection) {
        ObjectLayout.requireValidCollection(collection);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || !committer.submit(new GroupCommitter.Delete(collection, done))) {
            throw new IllegalStateException("write-ahead log is closed");
        }
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The collections that have a log, sorted. */
    public List<String> collections() {
        return logs.keySet().stream().sorted().toList();
    }

    public WalStats stats() {
        int localSegments = 0;
        int awaiting = 0;
        long localBytes = 0;
        long unsynced = 0;
        for (CollectionLog log : logs.values()) {
            synchronized (log) {
                for (Segment s : log.segments.values()) {
                    if (s.localPresent) {
                        localSegments++;
                        localBytes += s.bytes;
                        if (!s.uploaded) {
                            unsynced += s.bytes;
                            awaiting += s.sealed ? 1 : 0;
                        }
                    }
                }
            }
        }
        return new WalStats(logs.size(), localSegments, localBytes, awaiting, unsynced,
                counters.appends.sum(), counters.fsyncs.sum(), counters.uploads.sum());
    }

    /**
     * Uploads (background, inline in S3 durability, and on close) happen only while {@code mayUpload} says so:
     * a node that lost its writer lease must not put segments, since a successor writes the same seqs under
     * keys of its own, and a node recovering from the bucket would take the stale segment over the successor's.
     */
    public void fenceUploads(BooleanSupplier mayUpload) {
        uploader.fence(mayUpload);
    }

    /**
     * After each upload, {@code stillWriter} must confirm (reading the store) that this node was still the writer
     * when the PUT had landed; when it does not, the segment counts as not uploaded and the upload fails with
     * {@link WalFencedException}, so with durability {@code s3} no write is acknowledged whose segment a successor
     * may not have seen when it took the log over.
     */
    public void confirmUploads(BooleanSupplier stillWriter) {
        uploader.confirm(stillWriter);
    }

    /** Runs one upload pass now (the background uploader also runs every upload interval). */
    public void uploadNow() {
        uploader.uploadPending();
    }

    private void uploadPass() {
        try {
            uploader.uploadPending();
        } catch (RuntimeException | Error e) {
            // An Error (out of memory) would cancel the periodic pass for good: sealed segments would stay local.
            LOG.warn("log upload pass failed: {}", e.toString());
        }
    }

    /** Writes what is queued, seals the open segments and makes a last upload attempt. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.submit(new GroupCommitter.Stop());
        try {
            committerThread.join();
            uploadSchedule.shutdown();
            uploadSchedule.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploadPass();
        putPool.shutdown();
        objectCache.close();
        for (CollectionLog log : logs.values()) {
            log.closeChannel();
        }
        index.close();
    }
}
