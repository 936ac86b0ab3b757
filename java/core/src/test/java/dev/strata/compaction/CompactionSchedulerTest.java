package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionSchedulerTest {

    @TempDir
    Path dir;

    @Test
    void compactsCollectionsPastTheRecordThresholdOnly() {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID busy = f.createCollection("busy", null);
            UUID quiet = f.createCollection("quiet", null);
            RandomBatches batches = new RandomBatches(1, 30);
            for (int i = 0; i < 5; i++) {
                f.append(busy, batches.next());
            }
            f.append(quiet, batches.next());
            try (CompactionScheduler s = new CompactionScheduler(f.compactor, f.catalog,
                    new CompactionPolicy(5, 3_600_000, 10), CompactionScheduler.logRecordsAfterCursor(f.wal))) {
                assertThat(s.runOnce()).isEqualTo(1);
                assertThat(f.catalog.getCollection(busy).version()).isEqualTo(1);
                assertThat(f.catalog.getCollection(quiet).version()).isZero();
                assertThat(s.runOnce()).as("nothing new").isZero();
                assertThat(s.compactNow(quiet).version()).isEqualTo(1);
            }
        }
    }

    @Test
    void compactsAnOldBacklogInTheBackground() throws InterruptedException {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID c = f.createCollection("c", null);
            f.append(c, new RandomBatches(2, 30).next());
            try (CompactionScheduler s = new CompactionScheduler(f.compactor, f.catalog,
                    new CompactionPolicy(1_000_000, 50, 10), CompactionScheduler.logRecordsAfterCursor(f.wal)).start()) {
                for (int i = 0; i < 1000 && f.catalog.getCollection(c).version() == 0; i++) {
                    Thread.sleep(10);
                }
                assertThat(f.catalog.getCollection(c).version()).isEqualTo(1);
            }
        }
    }
}
