package dev.strata.segment;

import dev.strata.blockfile.ValueType;
import dev.strata.ivf.SegmentFiles;

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
    /** (key, value) → bitmap of offset ids, plus the live-offsets bitmap. */
    static final String METADATA_INDEX = "metadata.index";
    /**
     * trigram → bitmap of offset ids whose document holds it, one entry per trigram and chunk of
     * {@link #TRIGRAM_CHUNK_OFFSETS} offsets (manifest format 3; before, one entry per trigram under
     * {@link #LEGACY_TRIGRAM_PREFIX}).
     */
    static final String TRIGRAMS = "metadata.trigrams";

    static final String RECORD_PREFIX = "";
    /** In the metadata index: offsets of every record, under a prefix no user key can produce. */
    static final String LIVE_PREFIX = "#live";
    static final String LIVE_KEY = "";
    /** The trigram postings' only prefix in manifest formats 1 and 2: a bitmap over every offset per trigram. */
    static final String LEGACY_TRIGRAM_PREFIX = "";

    /**
     * Offsets per trigram chunk (one Roaring container). Postings are keyed chunk first, so a compaction that adds
     * documents at the newest offsets rewrites only the newest chunk's blocks: with one bitmap per trigram nearly
     * every trigram block was rewritten by every compaction (617 of the 1,341 MB a 100k ingest with documents wrote).
     */
    static final int TRIGRAM_CHUNK_OFFSETS = 1 << 16;

    /** The prefix of the trigram postings of the chunk holding {@code offset}; they sort in chunk order. */
    static String trigramPrefix(int offset) {
        return trigramChunkPrefix(offset / TRIGRAM_CHUNK_OFFSETS);
    }

    static String trigramChunkPrefix(int chunk) {
        return String.format("c%05d", chunk);
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
