package dev.strata.api;

/**
 * How far compaction has caught up with a collection's writes, in Chroma's terms.
 *
 * @param indexedOps   records in the collection's compacted version (what the index and blocks hold)
 * @param unindexedOps record operations logged since (the compaction backlog; queries search them exactly)
 */
public record IndexingStatus(long indexedOps, long unindexedOps) {

    public IndexingStatus {
        if (indexedOps < 0 || unindexedOps < 0) {
            throw new IllegalArgumentException("op counts must be >= 0, got " + indexedOps + " and " + unindexedOps);
        }
    }

    public long totalOps() {
        return indexedOps + unindexedOps;
    }

    /** indexed / total; 1 when there is nothing at all. */
    public double progress() {
        return totalOps() == 0 ? 1.0 : (double) indexedOps / totalOps();
    }
}
