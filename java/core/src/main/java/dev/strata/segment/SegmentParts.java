package dev.strata.segment;

import dev.strata.blockfile.BlockGroups;
import dev.strata.blockfile.ValueType;
import dev.strata.ivf.SegmentFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Names of the blockfiles a version is made of (the keys of {@link VersionManifest#roots()}) and the
 * key prefixes inside them. Record blockfiles are keyed by offset id under the empty prefix.
 */
final class SegmentParts {

    /** user id → offset id (long). */
    static final String IDS = "record.ids";
    /** offset id → user id. */
    static final String OFFSET_IDS = "record.offset_ids";
    /** offset id → embedding (float vectors of the version's dimension). */
    static final String EMBEDDINGS = "record.embeddings";
    static final String DOCUMENTS = "record.documents";
    /** offset id → metadata map ({@link MetadataCodec}). */
    static final String METADATA = "record.metadata";
    static final String URIS = "record.uris";
    /**
     * (key, value) → bitmap of offset ids, one entry per value and chunk of {@link #CHUNK_OFFSETS} offsets (manifest
     * format 4; before, one entry per value over every offset), plus the live-offsets bitmap.
     */
    static final String METADATA_INDEX = "metadata.index";
    /**
     * trigram → bitmap of offset ids whose document holds it, one entry per trigram and chunk of
     * {@link #CHUNK_OFFSETS} offsets (manifest format 3; before, one entry per trigram over every offset).
     */
    static final String TRIGRAMS = "metadata.trigrams";

    static final String RECORD_PREFIX = "";
    /** In the metadata index: offsets of every record, under a prefix no user key can produce. */
    static final String LIVE_PREFIX = "#live";
    static final String LIVE_KEY = "";
    /**
     * The chunk prefix of an inverted index kept as one bitmap per entry over every offset (trigrams before manifest
     * format 3, metadata values before format 4): its entries' prefixes are those of one chunk without the chunk.
     */
    static final String UNCHUNKED = "";

    /**
     * Offsets per chunk of the inverted indexes (one Roaring container). Their postings are keyed chunk first, and
     * offsets are given in insertion order, so a compaction that adds records at the newest offsets rewrites only
     * the newest chunk's blocks: with one bitmap per entry nearly every block was rewritten by every compaction (the
     * trigrams: 617 of the 1,341 MB a 100k ingest with documents wrote; the metadata values: 3.2 MB per
     * 1,000-record compaction at 1M).
     */
    static final int CHUNK_OFFSETS = 1 << 16;

    /** The chunk prefix of the postings of {@code offset}; chunk prefixes sort in chunk order. */
    static String chunkPrefixOf(int offset) {
        return chunkPrefix(offset / CHUNK_OFFSETS);
    }

    static String chunkPrefix(int chunk) {
        return String.format("c%05d", chunk);
    }

    /**
     * Blocks of an inverted index cut at chunk changes: a compaction that adds to the newest chunk rewrites that
     * chunk's blocks and no block of an older one (with blocks cut by size alone, the block holding the older chunk's
     * last entries and the newest's first was rewritten whole, up to the 1 MiB target, by every compaction). Entries
     * outside any chunk (the live set, an unchunked index) are a group of their own.
     */
    static final BlockGroups BY_CHUNK = key -> groupOfPrefix(key.prefix());

    /** Offsets per sub-chunk of the trigram postings' open chunk ({@link TrigramLayout}). */
    static final int SUB_CHUNK_OFFSETS = 1 << 13;
    static final int SUBS_PER_CHUNK = CHUNK_OFFSETS / SUB_CHUNK_OFFSETS;

    /** The prefix of the postings of sub-chunk {@code sub} (0 .. 7) of {@code chunk}: after the chunk's own, in order. */
    static String subChunkPrefix(int chunk, int sub) {
        return chunkPrefix(chunk) + "." + sub;
    }

    /** The block group of a prefix: its chunk and sub-chunk, each sub-chunk apart; -1 outside any chunk. */
    static long groupOfPrefix(String prefix) {
        long chunk = chunkOfPrefix(prefix);
        if (chunk < 0) {
            return -1;
        }
        boolean sub = prefix.length() == CHUNK_PREFIX_LENGTH + 2 && prefix.charAt(CHUNK_PREFIX_LENGTH) == '.';
        return chunk * (SUBS_PER_CHUNK + 1) + (sub ? prefix.charAt(CHUNK_PREFIX_LENGTH + 1) - '0' + 1 : 0);
    }

    /** The chunk of a chunk prefix's postings ({@code c00012...} → 12), or -1 for a prefix that names none. */
    static long chunkOfPrefix(String prefix) {
        if (prefix.length() < CHUNK_PREFIX_LENGTH || prefix.charAt(0) != 'c') {
            return -1;
        }
        int chunk = 0;
        for (int i = 1; i < CHUNK_PREFIX_LENGTH; i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            chunk = chunk * 10 + (c - '0');
        }
        return chunk;
    }

    /** "c" and five digits: up to 2^31 / {@link #CHUNK_OFFSETS} = 32,768 chunks. */
    private static final int CHUNK_PREFIX_LENGTH = 6;

    /** The chunk prefixes of a version whose offsets are below {@code nextOffset}, in order. */
    static List<String> chunkPrefixes(int nextOffset) {
        List<String> out = new ArrayList<>();
        for (int chunk = 0; (long) chunk * CHUNK_OFFSETS < nextOffset; chunk++) {
            out.add(chunkPrefix(chunk));
        }
        return out;
    }

    /**
     * A bitmap over any offsets cut into one part per chunk it touches, keyed by chunk (what an index kept unchunked
     * becomes when its version is converted).
     */
    static Map<Integer, RoaringBitmap> byChunk(RoaringBitmap offsets) {
        return split(offsets, CHUNK_OFFSETS);
    }

    /** A bitmap cut into one part per run of {@code partOffsets} offsets it touches, keyed by offset / partOffsets. */
    static Map<Integer, RoaringBitmap> split(RoaringBitmap offsets, int partOffsets) {
        Map<Integer, RoaringBitmap> out = new TreeMap<>();
        if (offsets.isEmpty()) {
            return out;
        }
        for (int part = offsets.first() / partOffsets; part <= offsets.last() / partOffsets; part++) {
            long from = (long) part * partOffsets;
            RoaringBitmap bits = RoaringBitmap.and(offsets, RoaringBitmap.bitmapOfRange(from, from + partOffsets));
            if (!bits.isEmpty()) {
                out.put(part, bits);
            }
        }
        return out;
    }

    /** Prefix of the postings of scalar values of a metadata key. */
    static String scalarPrefix(String key) {
        return "s:" + key;
    }

    /** Prefix of the postings of elements of array values of a metadata key. */
    static String arrayPrefix(String key) {
        return "a:" + key;
    }

    /**
     * The value type of a part's blockfile (null for a part this version of the code does not know, and for
     * index segment postings, whose roots declare whether their vectors carry codes: open them by that).
     */
    static ValueType<?> type(String part, Integer dimension) {
        return switch (part) {
            case IDS -> ValueType.LONG;
            case OFFSET_IDS, DOCUMENTS, URIS -> ValueType.STRING;
            case METADATA -> ValueType.BYTES;
            case METADATA_INDEX, TRIGRAMS -> ValueType.BITMAP;
            case EMBEDDINGS -> dimension == null ? null : ValueType.floatVector(dimension);
            default -> SegmentFiles.fileOf(part) == null ? null
                    : SegmentFiles.isPostings(part) ? null
                    : SegmentFiles.isCentroids(part) ? (dimension == null ? null : ValueType.floatVector(dimension))
                    : ValueType.BITMAP;
        };
    }

    private SegmentParts() {}
}
