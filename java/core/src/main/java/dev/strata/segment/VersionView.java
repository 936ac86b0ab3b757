package dev.strata.segment;

import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * One compacted version of a collection (record, metadata and vector segments), pinned for the
 * duration of a read: garbage collection keeps every file a pinned version names until
 * {@link #close()}. Offset ids are assigned in insertion order at compaction, so ascending offset
 * order is insertion order. The uncompacted log tail is not part of a version.
 */
public interface VersionView extends AutoCloseable {

    /** The version number (0: nothing compacted yet). */
    long version();

    /** The last log sequence number this version includes (0: none). */
    long logCursor();

    /** Number of records in this version. */
    int count();

    /** The offset id of a user id, or -1 when this version has no such record. */
    int offsetOf(String id);

    /** Offset ids of every record, ascending. The caller must not modify the bitmap. */
    RoaringBitmap liveOffsets();

    /**
     * Offset ids of the records that match both filters (null: no constraint), evaluated on the
     * metadata segment's indexes. A fresh bitmap the caller may modify.
     */
    RoaringBitmap matching(MetadataFilter where, DocumentFilter whereDocument);

    /** The records at these offsets, in the given order, carrying only the fields asked for. */
    List<Record> read(int[] offsets, Fields fields);

    /** The record of a user id with every field, or null. */
    default Record read(String id) {
        int offset = offsetOf(id);
        return offset < 0 ? null : read(new int[] {offset}, Fields.ALL).getFirst();
    }

    /**
     * The k nearest records to the query among the allowed offsets (null: all), closest first,
     * with distances as Chroma reports them (l2 squared, 1 - dot, 1 - cos).
     */
    List<Neighbor> nearest(float[] query, int k, RoaringBitmap allowed);

    /** Releases the pin. */
    @Override
    void close();

    /** A record found by a k-NN search. */
    record Neighbor(int offset, float distance) {}

    /** Which fields of a record to read. The id is always read. */
    record Fields(boolean embedding, boolean document, boolean metadata, boolean uri) {
        public static final Fields ALL = new Fields(true, true, true, true);
        public static final Fields NONE = new Fields(false, false, false, false);
    }
}
