package dev.strata.query;

import dev.strata.api.Space;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import dev.strata.testing.ReferenceCollection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * A compacted version held in memory and searched by brute force: the test double of the segment
 * layer's VersionView. Offsets are positions in the given record list (insertion order).
 */
public final class InMemoryVersion implements VersionView {

    private final long version;
    private final long logCursor;
    // The reference's exact distances, so that version and reference rank alike.
    private final ReferenceCollection metric;
    private final List<Record> records;
    private final Map<String, Integer> offsets = new HashMap<>();
    private final RoaringBitmap live = new RoaringBitmap();
    private int pins = 1;

    public InMemoryVersion(long version, long logCursor, Space space, List<Record> records) {
        this.version = version;
        this.logCursor = logCursor;
        this.metric = new ReferenceCollection(space);
        this.records = List.copyOf(records);
        for (int i = 0; i < records.size(); i++) {
            offsets.put(records.get(i).id(), i);
            live.add(i);
        }
    }

    /** Whether close() was called (the pin was released). */
    public synchronized boolean released() {
        return pins == 0;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public long logCursor() {
        return logCursor;
    }

    @Override
    public int count() {
        return records.size();
    }

    @Override
    public int offsetOf(String id) {
        return offsets.getOrDefault(id, -1);
    }

    @Override
    public RoaringBitmap liveOffsets() {
        return live;
    }

    @Override
    public RoaringBitmap matching(MetadataFilter where, DocumentFilter whereDocument) {
        RoaringBitmap out = new RoaringBitmap();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if ((where == null || where.matches(r.metadata()))
                    && (whereDocument == null || whereDocument.matches(r.document()))) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public List<Record> read(int[] offsets, Fields fields) {
        List<Record> out = new ArrayList<>(offsets.length);
        for (int off : offsets) {
            Record r = records.get(off);
            out.add(new Record(r.id(), fields.embedding() ? r.embedding() : null, fields.document() ? r.document() : null,
                    fields.metadata() ? r.metadata() : null, fields.uri() ? r.uri() : null));
        }
        return out;
    }

    @Override
    public List<Neighbor> nearest(float[] query, int k, RoaringBitmap allowed) {
        List<Neighbor> all = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (allowed == null || allowed.contains(i)) {
                all.add(new Neighbor(i, metric.distance(query, records.get(i).embedding())));
            }
        }
        all.sort(Comparator.comparingDouble(Neighbor::distance).thenComparingInt(Neighbor::offset));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    @Override
    public synchronized void close() {
        pins = 0;
    }
}
