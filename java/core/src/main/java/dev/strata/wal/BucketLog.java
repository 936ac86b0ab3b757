package dev.strata.wal;

import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log as the writer uploaded it, for a node that may not write (a read-only node beside the writer): each
 * collection's sealed segments as the object store lists them under {@link LogSegment#prefix}, read and checked
 * through a small cache. Nothing is written, neither to the store nor to a local folder or index, so a node later
 * opened as the writer on the same folder recovers the log from the bucket and not from a stale copy of it.
 *
 * <p>A collection is listed when first read and again on {@link #refresh}; between two listings the log ends
 * where the last listing ended. Records the writer has not uploaded yet (durability {@code local}, a segment
 * still open) are not seen.
 */
public final class BucketLog implements LogReader, AutoCloseable {

    private static final long CACHE_BYTES = 32L << 20;

    private final ObjectStore store;
    private final BlockCache objectCache;
    private final SegmentReader reader;
    private final Map<String, NavigableMap<Long, LogSegment>> listed = new ConcurrentHashMap<>();

    private final LogFences fences;

    public BucketLog(ObjectStore store) {
        this(store, LogFences.none());
    }

    /** A reader of the uploaded log that counts only the segments {@code fences} admits (the catalog's takeovers). */
    public BucketLog(ObjectStore store, LogFences fences) {
        this.store = store;
        this.fences = fences;
        this.objectCache = new BlockCache(store, CACHE_BYTES);
        this.reader = new SegmentReader(objectCache);
    }

    /** Lists the collection's segments again: what the writer uploaded since (and GC deleted) shows now. */
    public void refresh(String collection) {
        ObjectLayout.requireValidCollection(collection);
        listed.put(collection, list(collection));
    }

    /** Forgets the collection's listing (it was deleted, or is no longer read here). */
    public void forget(String collection) {
        listed.remove(collection);
    }

    /**
     * The records from {@code fromSeqInclusive} on that listed segments hold without a gap; empty when no listed
     * segment holds that seq (not uploaded yet, or deleted by GC below a newer version's cursor).
     */
    @Override
    public List<LogRecord> read(String collection, long fromSeqInclusive, int maxRecords) {
        ObjectLayout.requireValidCollection(collection);
        if (fromSeqInclusive < 1 || maxRecords < 1) {
            throw new IllegalArgumentException("need fromSeqInclusive >= 1 and maxRecords >= 1, got "
                    + fromSeqInclusive + ", " + maxRecords);
        }
        NavigableMap<Long, LogSegment> segments = listed.computeIfAbsent(collection, this::list);
        long to = fromSeqInclusive + Math.min(maxRecords, Long.MAX_VALUE - fromSeqInclusive) - 1;
        List<SegmentReader.View> views = new ArrayList<>();
        long next = fromSeqInclusive;
        while (next <= to) {
            Map.Entry<Long, LogSegment> holding = segments.floorEntry(next);
            if (holding == null || holding.getValue().lastSeq() < next) {
                break;
            }
            LogSegment k = holding.getValue();
            views.add(new SegmentReader.View(collection, k.firstSeq(), k.lastSeq(), k.epoch(), null, false, true, 0, 0));
            next = Math.min(k.lastSeq(), to) + 1;
        }
        List<LogRecord> out = new ArrayList<>();
        reader.readAll(views, fromSeqInclusive, to, out);
        return out;
    }

    /**
     * The collection's segments by first seq, as the log's recovery from the store counts them: a fenced writer's
     * late uploads past a newer epoch's takeover point are dropped, and overlaps go to the newer epoch.
     */
    private NavigableMap<Long, LogSegment> list(String collection) {
        List<LogSegment> listed = new ArrayList<>();
        store.list(ObjectLayout.logFolder(collection)).forEach(m -> ObjectLayout.parseLogSegment(m.key()).ifPresent(listed::add));
        return fences.chain(collection, listed);
    }

    @Override
    public void close() {
        objectCache.close();
    }
}
