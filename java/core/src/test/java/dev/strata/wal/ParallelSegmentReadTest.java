package dev.strata.wal;

import static dev.strata.wal.WalFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that did not write a log (a takeover, a new machine) reads its tail from the bucket: hundreds of small
 * segments, fetched several at a time and returned in seq order.
 */
class ParallelSegmentReadTest {

    @TempDir
    Path dir;

    /** Delays every GET by 20 ms (a store's round trip) and records how many were in flight at once. */
    private static final class SlowGets extends ForwardingObjectStore {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();

        SlowGets(ObjectStore inner) {
            super(inner);
        }

        @Override
        protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
            if (op != RequestStats.Op.GET) {
                return call.get();
            }
            gets.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
                return call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public String describe() {
            return "slow-gets(" + delegate.describe() + ")";
        }
    }

    @Test
    void aTailOfManySegmentsIsReadConcurrentlyAndInOrder() throws Exception {
        LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
        int records = 150;
        // Each record its own segment, as a writer with durability s3 uploads one group commit at a time.
        try (WalFixture writer = WalFixture.open(dir.resolve("node1"), bucket,
                WalOptions.defaults().withDurability(WalOptions.Durability.S3))) {
            for (int i = 1; i <= records; i++) {
                writer.wal.append("c", payload("r" + i));
            }
        }
        assertThat(bucket.list(ObjectLayout.logFolder("c")).size()).isGreaterThan(100);

        SlowGets slow = new SlowGets(bucket);
        try (WalFixture reader = WalFixture.open(dir.resolve("node2"), slow, WalOptions.defaults())) {
            List<LogRecord> read = reader.wal.read("c", 1, 10_000);
            assertThat(read).extracting(LogRecord::seq)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, records).mapToObj(i -> (long) i).toList());
            assertThat(read).extracting(WalFixture::text)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, records).mapToObj(i -> "r" + i).toList());
            assertThat(slow.maxInFlight.get()).isGreaterThan(1).isLessThanOrEqualTo(SegmentReader.PARALLEL_READS);

            // From the middle of a segment run: still exactly the asked range.
            assertThat(reader.wal.read("c", 40, 25)).extracting(LogRecord::seq)
                    .containsExactlyElementsOf(IntStream.rangeClosed(40, 64).mapToObj(i -> (long) i).toList());
        }
    }
}
