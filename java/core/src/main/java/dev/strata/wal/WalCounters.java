package dev.strata.wal;

import java.util.concurrent.atomic.LongAdder;

/** Event counters of one open log, reported in {@link WalStats}. */
final class WalCounters {
    final LongAdder appends = new LongAdder();
    final LongAdder fsyncs = new LongAdder();
    final LongAdder uploads = new LongAdder();
}
