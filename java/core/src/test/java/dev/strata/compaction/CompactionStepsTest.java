package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.Record;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log longer than one step's budget is compacted in steps, each a version of its own. */
class CompactionStepsTest {

    private static final Map<String, Object> COSINE = Map.of("hnsw", Map.of("space", "cosine"));

    @TempDir
    Path dir;

    @Test
    void aLongLogIsFoldedInStepsOfTheBudgetAndTheListenersHearOfTheLastVersionOnce() {
        Map<String, Record> reference = new LinkedHashMap<>();
        RandomBatches batches = new RandomBatches(11, 120);
        List<LogBatch> appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            appended.add(batches.next());
        }
        // A budget of about three batches' bytes: each step folds three or four of the 30 batches.
        long threeBatches = 3L * LogBatchCodec.encode(appended.getFirst()).length
                + 3 * Compactor.RECORD_OVERHEAD_BYTES * appended.getFirst().size();
        List<CollectionRecord> notified = new ArrayList<>();
        try (CompactionFixture f = new CompactionFixture(dir, threeBatches)) {
            UUID id = f.createCollection("c", COSINE);
            f.compactor.addListener((committed, manifest) -> notified.add(committed));
            long lastSeq = 0;
            for (LogBatch b : appended) {
                lastSeq = f.append(id, b);
                CompactionFixture.applyTo(reference, b);
            }

            CompactionResult result = f.compactor.compact(id);

            assertThat(result.records()).isEqualTo(30);
            assertThat(result.logCursor()).isEqualTo(lastSeq);
            assertThat(result.version()).as("one version per step").isBetween(3L, 15L);
            CollectionRecord r = f.catalog.getCollection(id);
            assertThat(r.version()).isEqualTo(result.version());
            assertThat(r.logCursor()).isEqualTo(lastSeq);
            assertThat(f.records(id)).isEqualTo(reference);
            for (long v = 1; v <= result.version(); v++) {
                assertThat(f.objects.head(ObjectLayout.versionManifest(id, v)).isPresent()).as("version %d", v).isTrue();
            }
            assertThat(notified).extracting(CollectionRecord::version).containsExactly(result.version());
            assertThat(f.compactor.compact(id).committed()).as("nothing left to compact").isFalse();
        }
    }

    @Test
    void aStepThatFailsKeepsTheStepsBeforeItAndTheNextCompactionGoesOnFromThere() {
        Map<String, Record> reference = new LinkedHashMap<>();
        RandomBatches batches = new RandomBatches(12, 80);
        List<CollectionRecord> notified = new ArrayList<>();
        try (CompactionFixture f = new CompactionFixture(dir, 1)) {
            UUID id = f.createCollection("c", COSINE);
            f.compactor.addListener((committed, manifest) -> notified.add(committed));
            List<Long> seqs = new ArrayList<>();
            List<Map<String, Record>> after = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                LogBatch b = batches.next();
                seqs.add(f.append(id, b));
                CompactionFixture.applyTo(reference, b);
                after.add(new LinkedHashMap<>(reference));
            }
            // A budget of one byte: one log record per step. The third step's manifest cannot be written.
            f.store.failKeys(key -> key.equals(ObjectLayout.versionManifest(id, 3)));

            assertThatThrownBy(() -> f.compactor.compact(id)).isInstanceOf(ObjectStoreException.class);

            CollectionRecord r = f.catalog.getCollection(id);
            assertThat(r.version()).isEqualTo(2);
            assertThat(r.logCursor()).isEqualTo(seqs.get(1));
            assertThat(f.records(id)).isEqualTo(after.get(1));
            assertThat(notified).as("the engine publishes what was committed").extracting(CollectionRecord::version)
                    .containsExactly(2L);

            f.store.heal();
            CompactionResult result = f.compactor.compact(id);
            assertThat(result.records()).isEqualTo(4);
            assertThat(result.logCursor()).isEqualTo(seqs.getLast());
            assertThat(f.records(id)).isEqualTo(reference);
            assertThat(notified.getLast().version()).isEqualTo(result.version());
        }
    }
}
