package dev.strata.query;

import dev.strata.filter.Deadline;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogMaterializer;
import dev.strata.segment.Record;
import dev.strata.segment.RecordChange;
import dev.strata.segment.VersionView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The uncompacted log of one collection applied in memory over a pinned base version: for each id
 * touched since the base's log cursor, its current record (Chroma's merge rules, folded by
 * {@link LogMaterializer} over the base's records) or a tombstone, and the seq of its last change.
 *
 * <p>Order: a record that replaced a base record in place keeps the base offset's position; a record
 * new to the tail (or deleted and re-added) comes after every base record, in the order it was
 * (re-)inserted. Batches are applied strictly in seq order. Reads see one consistent state: they run
 * under a read lock that {@link #apply} excludes; a tail is never applied to again after it is
 * replaced, so a reader holding an old tail sees an old but whole state.
 */
public final class LogTail implements AutoCloseable {

    /** Comparator of tail matches in collection order (in-place replacements first, by base offset). */
    public static final Comparator<Match> ORDER =
            Comparator.comparing((Match m) -> !m.inPlace()).thenComparingLong(Match::position);

    private static final int MIN_DEAD_ROWS_TO_REPACK = 1024;

    private final VersionView base;
    private final Space space;
    private final Map<String, Entry> entries = new HashMap<>();
    /**
     * Base offsets the tail replaced or deleted. Copy-on-write: a batch that overrides new offsets publishes a
     * new bitmap, so that a read hands its bitmap out without copying it (reads outnumber writes; a batch
     * copies it once, a read never does). Never modified once published.
     */
    private RoaringBitmap overridden = new RoaringBitmap();
    /** Offsets overridden by the batch being applied, published together when it ends. */
    private final RoaringBitmap newlyOverridden = new RoaringBitmap();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private TailVectors vectors;
    private int deadRows;
    private int live;
    private long nextOrder;
    private long lastSeq;

    /** An empty tail over base, starting after its log cursor; distances in the given space. */
    public LogTail(VersionView base, Space space) {
        this.base = base;
        this.space = space;
        this.lastSeq = base.logCursor();
    }

    public VersionView base() {
        return base;
    }

    /** The seq of the last batch applied (the base's log cursor when none was). */
    public long lastSeq() {
        lock.readLock().lock();
        try {
            return lastSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ids touched since the base version (records and tombstones). */
    public int size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of records in the collection: base records not overridden plus live tail records. */
    public int count() {
        lock.readLock().lock();
        try {
            return base.count() - overridden.getCardinality() + live;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The record an id holds now (tail first, then the base), or null. */
    public Record lookup(String id) {
        lock.readLock().lock();
        try {
            return current(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies one logged batch; seq must follow the last one applied. */
    public void apply(long seq, LogBatch batch) {
        // The base is immutable: read what it holds for these ids before locking, so that a slow
        // version read (a cold block) never holds readers up.
        BaseRows rows = baseRows(batch);
        lock.writeLock().lock();
        try {
            if (seq <= lastSeq) {
                throw new IllegalArgumentException("batch seq " + seq + " is not after the last applied seq " + lastSeq);
            }
            LogMaterializer materializer = new LogMaterializer(id -> {
                Entry e = entries.get(id);
                return e != null ? e.record : rows.records().get(id);
            });
            materializer.apply(batch);
            newlyOverridden.clear();
            try {
                for (RecordChange change : materializer.changes()) {
                    applyChange(seq, change, rows.offsets().getOrDefault(change.id(), -1));
                }
            } finally {
                // whatever entries were changed, their base rows are hidden
                if (!newlyOverridden.isEmpty() && !overridden.contains(newlyOverridden)) {
                    overridden = RoaringBitmap.or(overridden, newlyOverridden);
                }
                newlyOverridden.clear();
            }
            lastSeq = seq;
            if (deadRows >= MIN_DEAD_ROWS_TO_REPACK && deadRows > vectors.used() - deadRows) {
                repack();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The tail's part of a read: the base offsets it overrides, and either (a get, no queries) its live
     * records that pass every criterion in collection order, or (a query) for each query embedding
     * its k nearest such records by exact distance.
     *
     * @param ids only these ids (null: any)
     * @param where metadata filter (null: none)
     * @param whereDocument document filter (null: none)
     * @param queries query embeddings (empty for a get)
     * @param k matches per query
     */
    public Read read(Collection<String> ids, MetadataFilter where, DocumentFilter whereDocument,
            List<float[]> queries, int k) {
        lock.readLock().lock();
        try {
            List<Entry> matched = new ArrayList<>();
            if (ids != null) {
                for (String id : ids) {
                    Deadline.check();
                    Entry e = entries.get(id);
                    if (e != null && e.passes(where, whereDocument)) {
                        matched.add(e);
                    }
                }
            } else {
                for (Entry e : entries.values()) {
                    Deadline.check();
                    if (e.passes(where, whereDocument)) {
                        matched.add(e);
                    }
                }
            }
            List<Match> matches = new ArrayList<>(queries.isEmpty() ? matched.size() : 0);
            if (queries.isEmpty()) {
                for (Entry e : matched) {
                    matches.add(e.match());
                }
                matches.sort(ORDER);
            }
            List<List<Hit>> nearest = new ArrayList<>(queries.size());
            for (float[] q : queries) {
                Deadline.check();
                nearest.add(nearest(q, k, matched));
            }
            return new Read(overridden, List.copyOf(matches), List.copyOf(nearest));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (vectors != null) {
                vectors.close();
                vectors = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<Hit> nearest(float[] query, int k, List<Entry> matched) {
        List<Entry> withVectors = new ArrayList<>(matched.size());
        for (Entry e : matched) {
            if (e.row >= 0) {
                withVectors.add(e);
            }
        }
        if (withVectors.isEmpty() || k <= 0) {
            return List.of();
        }
        if (query.length != vectors.dimension()) {
            throw new IllegalArgumentException("query has dimension " + query.length + ", the collection has "
                    + vectors.dimension());
        }
        int[] rows = new int[withVectors.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = withVectors.get(i).row;
        }
        float[] distances = vectors.distances(space, query, rows);
        // Bounded max-heap of the k best candidates: the root is the worst one kept.
        Comparator<Integer> closer = Comparator.<Integer>comparingDouble(i -> distances[i])
                .thenComparing(i -> withVectors.get(i).match(), ORDER);
        PriorityQueue<Integer> best = new PriorityQueue<>(Math.min(k, rows.length) + 1, closer.reversed());
        for (int i = 0; i < rows.length; i++) {
            if (best.size() < k) {
                best.add(i);
            } else if (distances[i] <= distances[best.peek()] && closer.compare(i, best.peek()) < 0) {
                best.poll();
                best.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(best);
        order.sort(closer);
        List<Hit> hits = new ArrayList<>(order.size());
        for (int i : order) {
            hits.add(new Hit(withVectors.get(i).match(), distances[i]));
        }
        return List.copyOf(hits);
    }

    private Record current(String id) {
        Entry e = entries.get(id);
        if (e != null) {
            return e.record;
        }
        return base.read(id);
    }

    private BaseRows baseRows(LogBatch batch) {
        if (base.count() == 0) {
            return new BaseRows(Map.of(), Map.of());
        }
        Map<String, Integer> offsets = new HashMap<>();
        for (String id : batch.ids()) {
            int off = base.offsetOf(id);
            if (off >= 0) {
                offsets.put(id, off);
            }
        }
        Map<String, Record> records = new HashMap<>();
        if (!offsets.isEmpty()) {
            int[] wanted = offsets.values().stream().mapToInt(Integer::intValue).toArray();
            for (Record r : base.read(wanted, VersionView.Fields.ALL)) {
                records.put(r.id(), r);
            }
        }
        return new BaseRows(offsets, records);
    }

    private void applyChange(long seq, RecordChange change, int offsetInBase) {
        String id = change.id();
        Entry old = entries.get(id);
        int baseOffset = old != null ? old.baseOffset : offsetInBase;
        if (old != null && old.record != null) {
            live--;
            releaseRow(old);
        }
        switch (change) {
            case RecordChange.Insert insert ->
                    put(new Entry(insert.record(), seq, baseOffset, false, nextOrder++));
            case RecordChange.Replace replace -> {
                // No old entry: the record came from the base and keeps its offset's place.
                boolean inPlace = old == null || old.inPlace;
                put(new Entry(replace.record(), seq, baseOffset, inPlace, old == null ? baseOffset : old.order));
            }
            case RecordChange.Delete delete -> {
                if (baseOffset >= 0) {
                    entries.put(id, new Entry(null, seq, baseOffset, false, -1));
                } else {
                    entries.remove(id);
                }
            }
        }
        if (baseOffset >= 0) {
            newlyOverridden.add(baseOffset);
        }
    }

    private void put(Entry e) {
        float[] embedding = e.record.embedding();
        if (embedding != null) {
            if (vectors == null) {
                vectors = new TailVectors(embedding.length);
            }
            e.row = vectors.append(embedding);
        }
        live++;
        entries.put(e.record.id(), e);
    }

    private void releaseRow(Entry e) {
        if (e.row >= 0) {
            deadRows++;
            e.row = -1;
        }
    }

    private void repack() {
        List<Entry> withRows = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.row >= 0) {
                withRows.add(e);
            }
        }
        int[] keep = new int[withRows.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = withRows.get(i).row;
        }
        TailVectors packed = vectors.repack(keep);
        vectors.close();
        vectors = packed;
        for (int i = 0; i < keep.length; i++) {
            withRows.get(i).row = i;
        }
        deadRows = 0;
    }

    /**
     * One tail record that passed a read's criteria.
     *
     * @param inPlace it replaced a base record and sorts at that record's offset
     * @param position the base offset when in place, else its tail insertion order
     * @param seq the seq of its last change
     */
    public record Match(Record record, boolean inPlace, long position, long seq) {}

    /** What the base holds for the ids of one batch. */
    private record BaseRows(Map<String, Integer> offsets, Map<String, Record> records) {}

    /** A tail match found by a k-NN search, with its exact distance. */
    public record Hit(Match match, float distance) {}

    /**
     * The tail's part of a read.
     *
     * @param overridden base offsets whose ids the tail replaced or deleted: hide them in the base. Shared
     *     with the tail and other reads: never modify it
     * @param matches tail records passing the criteria, in collection order (empty for a query)
     * @param nearest per query, the k nearest matches, closest first
     */
    public record Read(RoaringBitmap overridden, List<Match> matches, List<List<Hit>> nearest) {}

    private static final class Entry {
        final Record record; // null: a tombstone of a base record
        final long seq;
        final int baseOffset;
        final boolean inPlace;
        final long order;
        int row = -1;

        Entry(Record record, long seq, int baseOffset, boolean inPlace, long order) {
            this.record = record;
            this.seq = seq;
            this.baseOffset = baseOffset;
            this.inPlace = inPlace;
            this.order = order;
        }

        boolean passes(MetadataFilter where, DocumentFilter whereDocument) {
            return record != null
                    && (where == null || where.matches(record.metadata()))
                    && (whereDocument == null || whereDocument.matches(record.document()));
        }

        Match match() {
            return new Match(record, inPlace, inPlace ? baseOffset : order, seq);
        }

        @Override
        public String toString() {
            return "Entry[" + (record == null ? "tombstone" : record.id()) + ", seq=" + seq + ", row=" + row
                    + ", base=" + baseOffset + ", order=" + Arrays.asList(inPlace, order) + "]";
        }
    }
}
