package dev.strata.compaction;

/**
 * When the background scheduler compacts a collection: once its uncompacted log holds at least
 * {@code maxUncompactedRecords} records, or has held any for {@code maxAgeMs}; it looks every
 * {@code pollIntervalMs}.
 */
public record CompactionPolicy(long maxUncompactedRecords, long maxAgeMs, long pollIntervalMs) {

    public CompactionPolicy {
        if (maxUncompactedRecords < 1 || maxAgeMs < 1 || pollIntervalMs < 1) {
            throw new IllegalArgumentException("compaction thresholds must be positive: records " + maxUncompactedRecords
                    + ", age " + maxAgeMs + " ms, poll " + pollIntervalMs + " ms");
        }
    }

    /** 1000 records or 60 s, checked every second. */
    public static CompactionPolicy defaults() {
        return new CompactionPolicy(1000, 60_000, 1_000);
    }
}
