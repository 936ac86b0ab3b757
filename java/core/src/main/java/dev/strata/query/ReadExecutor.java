package dev.strata.query;

import dev.strata.filter.Deadline;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Runs get and query over one consistent snapshot: a pinned compacted version and the log tail built
 * on it. Compacted matches come from the version's metadata indexes minus the offsets the tail
 * overrides; tail matches come from evaluating the filters on the tail's live records. Results are
 * in collection order (compacted by offset, then records new in the tail), or nearest first.
 */
public final class ReadExecutor {

    private ReadExecutor() {}

    /**
     * Records passing every criterion given (null: no constraint), in collection order, skipping
     * {@code offset} and returning at most {@code limit} (null: all).
     */
    public static List<Record> get(LogTail tail, Collection<String> ids, MetadataFilter where,
            DocumentFilter whereDocument, Integer limit, int offset, VersionView.Fields fields) {
        VersionView version = tail.base();
        Set<String> idSet = ids == null ? null : new LinkedHashSet<>(ids);
        LogTail.Read t = tail.read(idSet, where, whereDocument, List.of(), 0);
        RoaringBitmap compacted = compactedMatches(version, idSet, where, whereDocument, t.overridden());
        long total = (long) compacted.getCardinality() + t.matches().size();
        long from = Math.min(offset, total);
        long to = limit == null ? total : Math.min(from + limit, total);

        // Walk both ordered sequences together, keeping only positions [from, to).
        List<Object> page = new ArrayList<>((int) (to - from));
        PeekableIntIterator base = compacted.getIntIterator();
        int ti = 0;
        List<LogTail.Match> tm = t.matches();
        for (long pos = 0; pos < to; pos++) {
            boolean takeBase;
            if (!base.hasNext()) {
                takeBase = false;
            } else if (ti >= tm.size()) {
                takeBase = true;
            } else {
                LogTail.Match m = tm.get(ti);
                takeBase = !m.inPlace() || Integer.toUnsignedLong(base.peekNext()) < m.position();
            }
            Object item = takeBase ? (Object) base.next() : tm.get(ti++);
            if (pos >= from) {
                page.add(item);
            }
        }
        Map<Integer, Record> read = readOffsets(version, page.stream()
                .filter(o -> o instanceof Integer).mapToInt(o -> (Integer) o).toArray(), fields);
        List<Record> out = new ArrayList<>(page.size());
        for (Object item : page) {
            out.add(item instanceof Integer off ? read.get(off) : ((LogTail.Match) item).record());
        }
        return out;
    }

    /**
     * For each query embedding, the n nearest records passing every criterion given, closest first (ties in
     * distance go to the record earlier in collection order), in the shape the answer is built from: records and
     * their distances unboxed. Reports the time of each stage to {@code stages}.
     */
    public static List<Hits> query(LogTail tail, List<float[]> queries, int n, Collection<String> ids,
            MetadataFilter where, DocumentFilter whereDocument, VersionView.Fields fields, QueryStages stages) {
        VersionView version = tail.base();
        Set<String> idSet = ids == null ? null : new LinkedHashSet<>(ids);
        long t0 = System.nanoTime();
        LogTail.Read t = tail.read(idSet, where, whereDocument, queries, n);
        long t1 = System.nanoTime();
        stages.record(QueryStages.Stage.TAIL, t1 - t0);
        boolean filtered = idSet != null || where != null || whereDocument != null;
        RoaringBitmap allowed = null;
        if (filtered || !t.overridden().isEmpty()) {
            allowed = compactedMatches(version, idSet, where, whereDocument, t.overridden());
        }
        long t2 = System.nanoTime();
        stages.record(QueryStages.Stage.FILTER, t2 - t1);
        boolean searchBase = version.count() > 0 && (allowed == null || !allowed.isEmpty());
        MergedRow[] rows = new MergedRow[queries.size()];
        int baseCount = 0;
        for (int qi = 0; qi < queries.size(); qi++) {
            Deadline.check();
            List<VersionView.Neighbor> fromBase = searchBase ? version.nearest(queries.get(qi), n, allowed) : List.of();
            rows[qi] = MergedRow.merge(fromBase, t.nearest().get(qi), n);
            baseCount += rows[qi].baseCount();
        }
        long t3 = System.nanoTime();
        stages.record(QueryStages.Stage.SEARCH, t3 - t2);
        // Each compacted record is read once, however many queries found it.
        int[] offsets = new int[baseCount];
        int filled = 0;
        for (MergedRow row : rows) {
            filled = row.copyBaseOffsets(offsets, filled);
        }
        Arrays.sort(offsets);
        int distinct = 0;
        for (int i = 0; i < offsets.length; i++) {
            if (i == 0 || offsets[i] != offsets[i - 1]) {
                offsets[distinct++] = offsets[i];
            }
        }
        offsets = Arrays.copyOf(offsets, distinct);
        List<Record> read = distinct == 0 ? List.of() : version.read(offsets, fields);
        stages.record(QueryStages.Stage.READ, System.nanoTime() - t3);
        List<Hits> out = new ArrayList<>(rows.length);
        for (MergedRow row : rows) {
            out.add(row.hits(offsets, read));
        }
        return out;
    }

    /** One query embedding's answer: its records, nearest first, and their distances. */
    public record Hits(List<Record> records, float[] distances) {}

    /**
     * The n nearest of one query from the version's and the tail's nearest lists, before the version's records
     * are read: an entry is a version offset ({@code tailRecords[i] == null}) or a tail record.
     */
    private record MergedRow(int[] baseOffsets, Record[] tailRecords, float[] distances, int baseCount) {

        static MergedRow merge(List<VersionView.Neighbor> fromBase, List<LogTail.Hit> fromTail, int n) {
            // n_results may be up to 2^31-1: size the arrays by what can be found, not by what was asked.
            int size = (int) Math.min(n, (long) fromBase.size() + fromTail.size());
            int[] baseOffsets = new int[size];
            Record[] tailRecords = new Record[size];
            float[] distances = new float[size];
            int bi = 0;
            int ti = 0;
            for (int i = 0; i < size; i++) {
                boolean takeBase;
                if (bi >= fromBase.size()) {
                    takeBase = false;
                } else if (ti >= fromTail.size()) {
                    takeBase = true;
                } else {
                    VersionView.Neighbor b = fromBase.get(bi);
                    LogTail.Hit h = fromTail.get(ti);
                    takeBase = b.distance() < h.distance() || (b.distance() == h.distance()
                            && (!h.match().inPlace() || b.offset() < h.match().position()));
                }
                if (takeBase) {
                    VersionView.Neighbor b = fromBase.get(bi++);
                    baseOffsets[i] = b.offset();
                    distances[i] = b.distance();
                } else {
                    LogTail.Hit h = fromTail.get(ti++);
                    tailRecords[i] = h.match().record();
                    distances[i] = h.distance();
                }
            }
            return new MergedRow(baseOffsets, tailRecords, distances, bi);
        }

        int copyBaseOffsets(int[] into, int at) {
            for (int i = 0; i < distances.length; i++) {
                if (tailRecords[i] == null) {
                    into[at++] = baseOffsets[i];
                }
            }
            return at;
        }

        /** The row with the version's records resolved from {@code read} (aligned with the sorted {@code offsets}). */
        Hits hits(int[] offsets, List<Record> read) {
            Record[] records = new Record[distances.length];
            for (int i = 0; i < records.length; i++) {
                records[i] = tailRecords[i] != null ? tailRecords[i]
                        : read.get(Arrays.binarySearch(offsets, baseOffsets[i]));
            }
            return new Hits(Arrays.asList(records), distances);
        }
    }

    /**
     * Offsets of the version's records passing the criteria and not overridden by the tail: a new bitmap the
     * caller owns (the version's live bitmap and the tail's overrides are shared and never modified).
     */
    private static RoaringBitmap compactedMatches(VersionView version, Set<String> ids, MetadataFilter where,
            DocumentFilter whereDocument, RoaringBitmap overridden) {
        if (version.count() == 0) {
            return new RoaringBitmap();
        }
        RoaringBitmap matches = where != null || whereDocument != null ? version.matching(where, whereDocument) : null;
        if (ids != null) {
            RoaringBitmap byId = new RoaringBitmap();
            for (String id : ids) {
                int off = version.offsetOf(id);
                if (off >= 0) {
                    byId.add(off);
                }
            }
            matches = matches == null ? byId : RoaringBitmap.and(matches, byId);
        }
        if (matches == null) {
            return RoaringBitmap.andNot(version.liveOffsets(), overridden);
        }
        matches.andNot(overridden);
        return matches;
    }

    private static Map<Integer, Record> readOffsets(VersionView version, int[] offsets, VersionView.Fields fields) {
        Map<Integer, Record> out = new HashMap<>();
        if (offsets.length == 0) {
            return out;
        }
        List<Record> records = version.read(offsets, fields);
        for (int i = 0; i < offsets.length; i++) {
            out.put(offsets[i], records.get(i));
        }
        return out;
    }
}
