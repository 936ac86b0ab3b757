package dev.strata.engine;

import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Writes paced by the warm graph ({@code STRATA_MAX_INDEX_LAG_RECORDS}, {@code STRATA_INDEX_LAG_WAIT_MS}): a write
 * to a collection whose graph, with its uncompacted tail, lags the written records by {@code maxLag} or more waits
 * until it lags less, for at most {@code maxWaitMs}, then goes ahead. A bulk load then ends with at most about
 * {@code maxLag} records still to compact and insert into the graph, instead of seconds of both (the queries right
 * after it would compete with that work for the cores and be answered by the slower clustered index meanwhile).
 * That is what Chroma does by indexing inside each add; it costs ingest rate only where the graph cannot keep up.
 *
 * <p>Never a failure: the write is paced, not refused. A lag of {@link #FAR} times {@code maxLag} or more is a graph
 * being built whole (a node restarted without a saved graph, a collection that just reached the size for one), not
 * one falling behind the writes; writes are not held for it.
 *
 * @param maxLag records of lag at which writes wait; 0: no pacing
 * @param maxWaitMs the longest one write waits
 * @param lag the collection's graph lag (records its graph has yet to take in; 0 when it has none due)
 * @param expedite asks for the collection's graph work to start now (a first build is otherwise delayed), at every
 *                 paced write
 * @param stats the writes paced and the time they waited, for {@code /metrics}
 */
public record IndexPacing(int maxLag, long maxWaitMs, ToLongFunction<UUID> lag, Consumer<UUID> expedite, Stats stats) {

    /** Past this many times the bound, the lag is a whole build, not writes outrunning the graph. */
    public static final int FAR = 25;

    /** No pacing. */
    public static final IndexPacing NONE = new IndexPacing(0, 0, id -> 0, id -> { }, new Stats());

    /** Writes that waited for a graph, and the time they waited. */
    public static final class Stats {
        private final LongAdder writes = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void paced(long waitedNanos) {
            writes.increment();
            nanos.add(waitedNanos);
        }

        public long writes() {
            return writes.sum();
        }

        public double seconds() {
            return nanos.sum() / 1e9;
        }
    }

    public IndexPacing {
        if (maxLag < 0 || maxWaitMs < 0) {
            throw new IllegalArgumentException("index lag bound and wait must not be negative: " + maxLag + ", " + maxWaitMs);
        }
        java.util.Objects.requireNonNull(lag, "lag");
        java.util.Objects.requireNonNull(expedite, "expedite");
        java.util.Objects.requireNonNull(stats, "stats");
    }

    /** Whether a write with this much lag (graph and tail) waits. */
    boolean holds(long lagRecords) {
        return maxLag > 0 && lagRecords >= maxLag && lagRecords < (long) maxLag * FAR;
    }
}
