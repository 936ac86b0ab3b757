package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.catalog.CollectionRecord;
import dev.strata.filter.MetadataFilter;
import dev.strata.segment.CompactedVersion;
import dev.strata.segment.LogBatch;
import dev.strata.segment.Record;
import dev.strata.storage.ObjectLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class CompactorTest {

    @TempDir
    Path dir;

    @Test
    void compactedVersionsEqualTheReferenceAcrossCompactionsAndAReopen() {
        Map<String, Record> reference = new LinkedHashMap<>();
        RandomBatches batches = new RandomBatches(7, 150);
        UUID id;
        List<CollectionRecord> notified = new ArrayList<>();
        try (CompactionFixture f = new CompactionFixture(dir)) {
            id = f.createCollection("c", Map.of("hnsw", Map.of("space", "cosine", "ef_search", 50)));
            f.compactor.addListener((committed, manifest) -> notified.add(committed));
            long lastSeq = 0;
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 40; i++) {
                    LogBatch b = batches.next();
                    lastSeq = f.append(id, b);
                    CompactionFixture.applyTo(reference, b);
                }
                CompactionResult result = f.compactor.compact(id);
                assertThat(result.committed()).isTrue();
                assertThat(result.version()).isEqualTo(round);
                assertThat(result.logCursor()).isEqualTo(lastSeq);
                assertThat(result.records()).isEqualTo(40);
                assertThat(f.records(id)).isEqualTo(reference);
                CollectionRecord r = f.catalog.getCollection(id);
                assertThat(r.version()).isEqualTo(round);
                assertThat(r.logCursor()).isEqualTo(lastSeq);
                assertThat(r.versionKey()).isEqualTo(ObjectLayout.versionManifest(id, round));
            }
            assertThat(notified).extracting(CollectionRecord::version).containsExactly(1L, 2L, 3L);
            assertThat(f.compactor.compact(id).committed()).as("nothing new to compact").isFalse();
            try (CompactedVersion v = f.current(id)) {
                assertThat(v.manifest().vector()).containsEntry("space", "cosine").containsEntry("ef_search", 50);
            }
        }
        try (CompactionFixture reopened = new CompactionFixture(dir)) {
            assertThat(reopened.records(id)).isEqualTo(reference);
            try (CompactedVersion v = reopened.current(id)) {
                RoaringBitmap big = v.matching(new MetadataFilter.Compare("n", MetadataFilter.CompareOp.GTE, 5L), null);
                RoaringBitmap expected = new RoaringBitmap();
                reference.forEach((rid, rec) -> {
                    if (rec.metadata() != null && rec.metadata().get("n") instanceof Long n && n >= 5) {
                        expected.add(v.offsetOf(rid));
                    }
                });
                assertThat(big).isEqualTo(expected);
                float[] q = batches.vector();
                assertThat(v.nearest(q, 5, null)).hasSize((int) Math.min(5,
                        reference.values().stream().filter(r -> r.embedding() != null).count()));
            }
            dev.strata.ops.VerifyReport report = new dev.strata.ops.Verifier(reopened.objects).verify();
            assertThat(report.errors()).as("strata verify on a compacted bucket").isEmpty();
            assertThat(report.versions()).isGreaterThanOrEqualTo(3);
            LogBatch more = batches.next();
            reopened.append(id, more);
            CompactionFixture.applyTo(reference, more);
            assertThat(reopened.compactor.compact(id).version()).isEqualTo(4);
            assertThat(reopened.records(id)).isEqualTo(reference);
        }
    }

    @Test
    void aCompactionKeepsThePreviousIndexSegmentsAndWritesOneForWhatChanged() {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID id = f.createCollection("c", null);
            RandomBatches batches = new RandomBatches(9, 100);
            java.util.List<String> previous = java.util.List.of();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 10; i++) {
                    f.append(id, batches.next());
                }
                f.compactor.compact(id);
                try (CompactedVersion v = f.current(id)) {
                    assertThat(v.nearest(batches.vector(), 3, null)).isNotEmpty();
                    java.util.List<String> segments = v.manifest().segmentIds();
                    java.util.List<String> before = previous;
                    assertThat(segments.stream().filter(s -> !before.contains(s)).count())
                            .as("one segment written for what changed; the others shared as they were").isEqualTo(1);
                    assertThat(v.manifest().indexFiles()).as("no whole-index file").isEmpty();
                    previous = segments;
                }
            }
            assertThat(f.store.reads()).noneMatch(key -> key.contains("/i/"));
        }
    }

    @Test
    void aCommittedVersionDropsTheBlockfileRootsItReplacedFromTheCache() {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID id = f.createCollection("c", null);
            RandomBatches batches = new RandomBatches(13, 100);
            for (int i = 0; i < 20; i++) {
                f.append(id, batches.next());
            }
            f.compactor.compact(id);
            Map<String, String> v1Roots;
            try (CompactedVersion v = f.current(id)) {
                v1Roots = v.manifest().roots();
            }
            f.records(id); // every field's blocks read, so cached
            assertThat(v1Roots.values()).allMatch(f.cache::isCached);
            for (int i = 0; i < 5; i++) {
                f.append(id, batches.next());
            }
            f.compactor.compact(id);
            Map<String, String> v2Roots;
            try (CompactedVersion v = f.current(id)) {
                v2Roots = v.manifest().roots();
            }
            List<String> replaced = v1Roots.values().stream().filter(r -> !v2Roots.containsValue(r)).toList();
            List<String> kept = v1Roots.values().stream().filter(v2Roots::containsValue).toList();
            assertThat(replaced).as("random batches touch most blockfiles").isNotEmpty();
            assertThat(replaced).as("replaced roots are not held in memory").noneMatch(f.cache::isCached);
            assertThat(kept).allMatch(f.cache::isCached);
            assertThat(f.records(id)).as("the new version reads back after the drop").hasSizeGreaterThan(0);
        }
    }

    @Test
    void efSearchFollowsTheConfigurationWhileTheGraphParametersStay() {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID id = f.createCollection("c", Map.of("hnsw", Map.of("space", "ip", "ef_search", 20, "max_neighbors", 8)));
            RandomBatches batches = new RandomBatches(4, 60);
            f.append(id, batches.next());
            f.append(id, new LogBatch(dev.strata.segment.LogOperation.ADD, List.of("fixed"),
                    new float[][] {batches.vector()}, null, null, null));
            f.compactor.compact(id);
            f.catalog.updateCollection(id, dev.strata.catalog.CollectionUpdate.NONE.withConfiguration(
                    Map.of("hnsw", Map.of("space", "l2", "ef_search", 200, "max_neighbors", 32))));
            f.append(id, new LogBatch(dev.strata.segment.LogOperation.UPDATE, List.of("fixed"), null,
                    List.of("a document only"), null, null));
            f.compactor.compact(id);
            try (CompactedVersion v = f.current(id)) {
                assertThat(v.version()).isEqualTo(2);
                assertThat(v.manifest().vector()).containsEntry("ef_search", 200).containsEntry("space", "ip")
                        .containsEntry("M", 8);
            }
        }
    }

    @Test
    void theLogBelowTheCursorIsTruncatedAndLeftToGc() {
        try (CompactionFixture f = new CompactionFixture(dir)) {
            UUID id = f.createCollection("c", null);
            RandomBatches batches = new RandomBatches(3, 50);
            for (int i = 0; i < 10; i++) {
                f.append(id, batches.next());
            }
            f.wal.uploadNow();
            CompactionResult r = f.compactor.compact(id);
            assertThat(r.committed()).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.wal.read(Compactor.logName(id), 1, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
            assertThat(r.deletableLogKeys()).isNotEmpty();
            for (String key : r.deletableLogKeys()) {
                assertThat(f.objects.head(key)).as("GC deletes %s, not compaction", key).isPresent();
            }
        }
    }

    /**
     * A stopped compactor (the node is stopping) commits nothing from the log it had not finished reading: the catalog
     * keeps its version and the log stays, and the next node compacts it whole.
     */
    @Test
    void aStoppedCompactorCommitsNothingAndTheNextOneCompactsTheWholeLog() {
        Map<String, Record> reference = new LinkedHashMap<>();
        RandomBatches batches = new RandomBatches(11, 60);
        UUID id;
        long lastSeq = 0;
        try (CompactionFixture f = new CompactionFixture(dir)) {
            id = f.createCollection("stopped", Map.of());
            for (int i = 0; i < 30; i++) {
                LogBatch b = batches.next();
                lastSeq = f.append(id, b);
                CompactionFixture.applyTo(reference, b);
            }
            f.compactor.stop();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.compactor.compact(id))
                    .hasMessageContaining("the node is stopping");
            assertThat(f.catalog.getCollection(id).version()).isZero();
            assertThat(f.catalog.getCollection(id).logCursor()).isZero();
        }
        try (CompactionFixture reopened = new CompactionFixture(dir)) {
            CompactionResult result = reopened.compactor.compact(id);
            assertThat(result.version()).isEqualTo(1);
            assertThat(result.logCursor()).isEqualTo(lastSeq);
            assertThat(reopened.records(id)).isEqualTo(reference);
        }
    }
}
