package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.LogBatch;
import dev.strata.segment.Record;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compaction that fails at its Nth object write, for every N up to the first that lets it finish:
 * the previous version stays current and fully readable (also by a node reopened from the folder),
 * and the next attempt picks up from there.
 */
class CompactionCrashTest {

    @TempDir
    Path dir;

    @Test
    void aCompactionInterruptedAtAnyWriteLeavesThePreviousVersionAndARetrySucceeds() {
        Map<String, Record> reference = new LinkedHashMap<>();
        RandomBatches batches = new RandomBatches(11, 80);
        UUID id;
        Map<String, Record> before;
        Map<String, Record> after;
        int failures = 0;
        try (CompactionFixture f = new CompactionFixture(dir)) {
            id = f.createCollection("c", null);
            appendSome(f, id, batches, reference, 20);
            f.compactor.compact(id);
            before = new LinkedHashMap<>(reference);
            appendSome(f, id, batches, reference, 20);
            after = new LinkedHashMap<>(reference);

            for (int n = 1; ; n++) {
                f.store.failFromWrite(n);
                try {
                    CompactionResult r = f.compactor.compact(id);
                    f.store.heal();
                    assertThat(r.committed()).isTrue();
                    break;
                } catch (RuntimeException expected) {
                    f.store.heal();
                    failures++;
                    CollectionRecord current = f.catalog.getCollection(id);
                    assertThat(current.version()).as("after a failure at write %d", n).isEqualTo(1);
                    assertThat(f.records(id)).as("version 1 after a failure at write %d", n).isEqualTo(before);
                }
                assertThat(n).as("the compaction should finish once writes stop failing").isLessThan(60);
            }
            assertThat(failures).isGreaterThan(5);
            assertThat(f.records(id)).isEqualTo(after);
            assertThat(f.catalog.getCollection(id).version()).isGreaterThanOrEqualTo(2);
        }
        try (CompactionFixture reopened = new CompactionFixture(dir)) {
            assertThat(reopened.records(id)).isEqualTo(after);
        }
    }

    @Test
    void aFailureAfterTheManifestLeavesAnOrphanThatTheRetrySkips() {
        Map<String, Record> reference = new LinkedHashMap<>();
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID id = f.createCollection("c", null);
            RandomBatches batches = new RandomBatches(5, 40);
            appendSome(f, id, batches, reference, 10);
            // The catalog cannot commit: the manifest of version 1 is written, the swing fails.
            f.store.failKeys(key -> key.startsWith("catalog/"));
            assertThatThrownBy(() -> f.compactor.compact(id)).isInstanceOf(RuntimeException.class);
            assertThat(f.objects.head(dev.strata.storage.ObjectLayout.versionManifest(id, 1))).isPresent();
        }
        try (CompactionFixture reopened = new CompactionFixture(dir)) {
            UUID id = reopened.catalog.allCollections().getFirst().id();
            assertThat(reopened.catalog.getCollection(id).version()).isZero();
            CompactionResult r = reopened.compactor.compact(id);
            assertThat(r.version()).isEqualTo(2);
            assertThat(reopened.catalog.getCollection(id).versionKey())
                    .isEqualTo(dev.strata.storage.ObjectLayout.versionManifest(id, 2));
            assertThat(reference).isNotEmpty();
            assertThat(reopened.records(id)).isEqualTo(reference);
        }
    }

    private static void appendSome(CompactionFixture f, UUID id, RandomBatches batches, Map<String, Record> reference, int n) {
        for (int i = 0; i < n; i++) {
            LogBatch b = batches.next();
            f.append(id, b);
            CompactionFixture.applyTo(reference, b);
        }
    }
}
