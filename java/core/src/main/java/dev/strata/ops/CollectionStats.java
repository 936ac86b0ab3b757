package dev.strata.ops;

import java.util.Map;
import java.util.UUID;

/**
 * One collection as {@link StatsCollector} sees it.
 *
 * @param version            current version (0 before the first compaction)
 * @param keptVersions       versions the catalog keeps (current included)
 * @param records            records in the current version (its manifest's count; 0 before the first compaction;
 *                           null when the manifest cannot be read, see {@code warning})
 * @param dimension          embedding dimension, or null before the first embedding
 * @param logLastSeq         the last seq of the sealed log in the store (records still only in a node's local
 *                           segment are not counted)
 * @param logCursor          the last seq the current version includes
 * @param uncompactedRecords log records above the cursor: {@code max(0, logLastSeq - logCursor)}
 * @param bytesByKind        bytes under {@code c/{id}/} by {@link ObjectKind#label()}
 * @param objectsByKind      objects under {@code c/{id}/} by {@link ObjectKind#label()}
 * @param warning            why something could not be read (the current version manifest), or null
 * @param compactionFailure  why the writer's compaction of this collection keeps failing, since when and how often
 *                           (as the writer last recorded it, {@link dev.strata.compaction.CompactionFailures}), or null
 * @param rawBytes           what the current version's records weigh as given ({@link dev.strata.segment.RawRecordBytes}:
 *                           ids, documents, uris, metadata, 4 bytes per vector dimension), or null when not measured
 * @param retainedBytes      every byte under {@code c/{id}/} by why it is kept ({@link dev.strata.gc.Retained#label()}:
 *                           current, newest, pinned, ttl, ... and what the next GC deletes), each object once under the
 *                           strongest reason; sums to {@link #totalBytes()}; empty when not measured (see {@code warning})
 */
public record CollectionStats(UUID id, String tenant, String database, String name, long version, int keptVersions,
                              Long records, Integer dimension, long logLastSeq, long logCursor,
                              long uncompactedRecords, Map<String, Long> bytesByKind,
                              Map<String, Long> objectsByKind, String warning, String compactionFailure,
                              Long rawBytes, Map<String, Long> retainedBytes) {

    public CollectionStats {
        bytesByKind = ByKind.copy(bytesByKind);
        objectsByKind = ByKind.copy(objectsByKind);
        retainedBytes = retainedBytes == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(retainedBytes));
    }

    public long totalBytes() {
        return bytesByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Stored bytes (everything under the collection's prefix: kept versions, log) per raw byte; null if unknown. */
    public Double overhead() {
        return rawBytes == null || rawBytes == 0 ? null : (double) totalBytes() / rawBytes;
    }
}
