package dev.strata.query;

import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/** Version 0 of a collection: nothing compacted yet, every record is in the log tail. */
public final class EmptyVersion implements VersionView {

    public static final EmptyVersion INSTANCE = new EmptyVersion();

    private static final RoaringBitmap NONE = new RoaringBitmap();

    private EmptyVersion() {}

    @Override
    public long version() {
        return 0;
    }

    @Override
    public long logCursor() {
        return 0;
    }

    @Override
    public int count() {
        return 0;
    }

    @Override
    public int offsetOf(String id) {
        return -1;
    }

    @Override
    public RoaringBitmap liveOffsets() {
        return NONE;
    }

    @Override
    public RoaringBitmap matching(MetadataFilter where, DocumentFilter whereDocument) {
        return new RoaringBitmap();
    }

    @Override
    public List<Record> read(int[] offsets, Fields fields) {
        if (offsets.length > 0) {
            throw new IllegalArgumentException("version 0 has no records; asked for offset " + offsets[0]);
        }
        return List.of();
    }

    @Override
    public List<Neighbor> nearest(float[] query, int k, RoaringBitmap allowed) {
        return List.of();
    }

    @Override
    public void close() {}
}
