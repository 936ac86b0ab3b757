package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.testing.FaultyStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes paced by the warm graph's lag (STRATA_MAX_INDEX_LAG_RECORDS): held while it lags, never refused. */
class IndexPacingTest {

    @TempDir
    Path dir;

    private static RecordSet records(int from, int to) {
        return WriteStallTest.records(from, to);
    }

    private Settings settings(String maxLag, long waitMs, String threshold) {
        return Settings.defaults(dir).withAll(Map.of("STRATA_MAX_INDEX_LAG_RECORDS", maxLag,
                "STRATA_INDEX_LAG_WAIT_MS", String.valueOf(waitMs),
                "STRATA_COMPACTION_THRESHOLD_RECORDS", threshold,
                "STRATA_COMPACTION_INTERVAL_MS", "3600000",
                "STRATA_MAX_TAIL_RECORDS", "100000"));
    }

    /** A node whose compaction cannot write (its tails only grow), and a collection on it. */
    private record Blocked(EmbeddedStrata strata, Collection collection) implements AutoCloseable {
        @Override
        public void close() {
            strata.close();
        }
    }

    private Blocked blockedCompaction(Settings settings) {
        FaultyStore[] faulty = new FaultyStore[1];
        EmbeddedStrata strata = EmbeddedStrata.openDecorated(settings, store -> faulty[0] = new FaultyStore(store));
        Collection c = strata.database().createCollection("blocked", null, null);
        faulty[0].failKeys(key -> key.startsWith("c/") && !key.contains("/log/"));
        return new Blocked(strata, c);
    }

    private static long timedAdd(Collection c, RecordSet records) {
        long start = System.nanoTime();
        c.add(records);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aWriteBehindALaggingIndexWaitsAtMostItsBoundThenLandsAndAWholeRebuildHoldsNoWrite() {
        // A bound of 20 (twice the threshold of 10); compaction cannot write, so the tail only grows.
        try (Blocked b = blockedCompaction(settings("20", 400, "10"))) {
            EmbeddedStrata strata = b.strata();
            Collection c = b.collection();
            assertThat(timedAdd(c, records(0, 20))).as("under the bound: no wait").isLessThan(400);
            assertThat(strata.pacingStats().writes()).isZero();

            long waited = timedAdd(c, records(20, 120));
            assertThat(waited).as("ms the write behind 20 lagging records waited").isGreaterThanOrEqualTo(400);
            assertThat(strata.pacingStats().writes()).isEqualTo(1);
            assertThat(strata.pacingStats().seconds()).isGreaterThanOrEqualTo(0.39);
            assertThat(c.count()).as("paced, not refused").isEqualTo(120);

            // 25 times the bound behind is a whole build, not writes outrunning it: writes are not held for it.
            c.add(records(120, 500));
            long before = strata.pacingStats().writes();
            assertThat(timedAdd(c, records(500, 510))).isLessThan(400);
            assertThat(strata.pacingStats().writes()).isEqualTo(before);
            assertThat(c.count()).isEqualTo(510);
        }
    }

    @Test
    void withPacingOffAWriteNeverWaitsForTheIndex() {
        try (Blocked b = blockedCompaction(settings("0", 400, "10"))) {
            b.collection().add(records(0, 100));
            assertThat(timedAdd(b.collection(), records(100, 200))).isLessThan(400);
            assertThat(b.strata().pacingStats().writes()).isZero();
        }
    }

    @Test
    void aBulkLoadPastTheGraphsSizeEndsWithTheGraphAtMostTheBoundBehind() throws Exception {
        int bound = 600;
        int batch = 200;
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings(String.valueOf(bound), 60_000, "200"))) {
            Collection c = strata.database().createCollection("bulk", null, null);
            int total = 7_000; // past the 5,000 vectors a collection needs for a graph
            for (int from = 0; from < total; from += batch) {
                c.add(records(from, from + batch));
            }
            long lag = strata.runtime(c.id()).tailSize() + strata.indexLag(c.id());
            // The last write found less than the bound behind and added a batch; a version being published may count
            // its records in both the tail and the graph's lag for a moment, at most once more.
            assertThat(lag).as("records the graph still had to take in at the last acknowledgement")
                    .isLessThan(bound + batch + bound);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (strata.warmIndexInserted() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(strata.warmIndexInserted()).as("the graph took every record in").isGreaterThanOrEqualTo(total);
            assertThat(c.count()).isEqualTo(total);
        }
    }
}
