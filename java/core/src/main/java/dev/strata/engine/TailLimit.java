package dev.strata.engine;

import dev.strata.compaction.CompactionFailures;
import java.util.UUID;
import java.util.function.Function;

/**
 * How far a collection's uncompacted log tail may grow before writes wait for compaction, and how long
 * they wait ({@code STRATA_MAX_TAIL_RECORDS}, {@code STRATA_WRITE_STALL_TIMEOUT_MS}).
 *
 * @param maxRecords tail records (ids touched since the version) at which writes wait; 0: no limit
 * @param timeoutMs how long one write waits before it fails
 * @param onStall called when a write starts waiting (wakes the compaction thread)
 * @param failingCompaction a collection's failing compaction, or null while it does not fail: a write that finds
 *                          the tail full fails as soon as one more compaction attempt fails, with its cause,
 *                          instead of waiting out the timeout in vain
 * @param pacing how writes are paced by the warm graph's lag once the tail has room ({@link IndexPacing})
 */
public record TailLimit(int maxRecords, long timeoutMs, Runnable onStall,
                        Function<UUID, CompactionFailures.Failure> failingCompaction, IndexPacing pacing) {

    /** No limit: for nodes that do not compact themselves (versions published from outside). */
    public static final TailLimit NONE = new TailLimit(0, 0, () -> { }, id -> null, IndexPacing.NONE);

    public TailLimit(int maxRecords, long timeoutMs, Runnable onStall) {
        this(maxRecords, timeoutMs, onStall, id -> null, IndexPacing.NONE);
    }

    public TailLimit {
        if (maxRecords < 0 || timeoutMs < 0) {
            throw new IllegalArgumentException("tail limit and timeout must not be negative: " + maxRecords + ", " + timeoutMs);
        }
        java.util.Objects.requireNonNull(onStall, "onStall");
        java.util.Objects.requireNonNull(failingCompaction, "failingCompaction");
        java.util.Objects.requireNonNull(pacing, "pacing");
    }

    boolean bounded() {
        return maxRecords > 0;
    }
}
