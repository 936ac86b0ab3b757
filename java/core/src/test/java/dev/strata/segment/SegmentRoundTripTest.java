package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyFieldOfEveryRecordReadsBackAsWritten() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            List<String> ids = new ArrayList<>();
            float[][] embeddings = new float[5][];
            List<String> docs = new ArrayList<>();
            List<Map<String, Object>> metas = new ArrayList<>();
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add("id-" + i);
                embeddings[i] = new float[] {i, -i, i * 0.5f};
                docs.add(i == 2 ? null : "doc " + i + " ünïcødé 😀");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("int", (long) i);
                m.put("float", i + 0.25);
                m.put("whole_float", 2.0);
                m.put("str", "s" + i);
                m.put("bool", i % 2 == 0);
                m.put("tags", List.of("a", "b" + i));
                metas.add(i == 3 ? null : m);
                uris.add(i == 4 ? null : "s3://bucket/" + i);
            }
            CompactedVersion v = f.apply(new LogBatch(LogOperation.ADD, ids, embeddings, docs, metas, uris));

            assertThat(v.version()).isEqualTo(1);
            assertThat(v.count()).isEqualTo(5);
            assertThat(v.liveOffsets().toArray()).containsExactly(0, 1, 2, 3, 4);
            assertThat(SegmentFixture.readAll(v)).isEqualTo(f.expected);
            assertThat(v.read("id-1").metadata().get("whole_float")).isInstanceOf(Double.class);
            assertThat(v.read("id-1").metadata().get("int")).isInstanceOf(Long.class);
            assertThat(v.offsetOf("id-3")).isEqualTo(3);
            assertThat(v.offsetOf("missing")).isEqualTo(-1);
            assertThat(v.read("missing")).isNull();

            List<Record> some = v.read(new int[] {4, 0}, new VersionView.Fields(false, true, false, false));
            assertThat(some).extracting(Record::id).containsExactly("id-4", "id-0");
            assertThat(some.get(1).document()).isEqualTo("doc 0 ünïcødé 😀");
            assertThat(some.get(1).embedding()).isNull();
            assertThat(some.get(1).metadata()).isNull();
        }
    }

    @Test
    void replacesAndDeletesMakeANewVersionAndLeaveTheOldOneIntact() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion v1 = f.apply(add(0, 10));
            Map<String, Record> before = SegmentFixture.readAll(v1);
            CompactedVersion v2 = f.apply(
                    new LogBatch(LogOperation.UPDATE, List.of("r3"), new float[][] {{9, 9}}, List.of("new doc"),
                            List.of(mapOf("k", null, "n", 7L)), null),
                    LogBatch.delete(List.of("r5", "r6")),
                    add(10, 12));

            assertThat(SegmentFixture.readAll(v2)).isEqualTo(f.expected);
            assertThat(v2.count()).isEqualTo(10);
            assertThat(v2.read("r3").metadata()).containsExactly(Map.entry("n", 7L));
            assertThat(v2.offsetOf("r3")).isEqualTo(3);
            assertThat(v2.offsetOf("r5")).isEqualTo(-1);
            assertThat(v2.offsetOf("r11")).as("new ids get fresh offsets in insertion order").isEqualTo(11);
            assertThat(SegmentFixture.readAll(v1)).as("version 1 is immutable").isEqualTo(before);
            assertThatThrownBy(() -> v2.read(new int[] {5}, VersionView.Fields.ALL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 5");
        }
    }

    @Test
    void readdingADeletedIdGivesItANewOffset() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            f.apply(add(0, 3));
            f.apply(LogBatch.delete(List.of("r1")));
            CompactedVersion v = f.apply(add(1, 2));
            assertThat(v.offsetOf("r1")).isEqualTo(3);
            assertThat(v.liveOffsets().toArray()).containsExactly(0, 2, 3);
            assertThat(SegmentFixture.readAll(v)).isEqualTo(f.expected);
        }
    }

    @Test
    void aDeleteFollowedByAnInsertOfTheSameIdMakesANewRecordAtTheEnd() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion v1 = f.apply(add(0, 3));
            Record old = v1.read("r1");
            Record fresh = new Record("r1", new float[] {7, 7}, "again", Map.of("k", "new"), null);
            CompactedVersion v2 = f.write(List.of(new RecordChange.Delete(old), new RecordChange.Insert(fresh)));
            assertThat(v2.offsetOf("r1")).isEqualTo(3);
            assertThat(v2.liveOffsets().toArray()).containsExactly(0, 2, 3);
            assertThat(v2.read("r1")).isEqualTo(fresh);
            assertThat(v2.matching(new dev.strata.filter.MetadataFilter.Compare("k", dev.strata.filter.MetadataFilter.CompareOp.EQ, "v1"), null)
                    .isEmpty()).isTrue();
            assertThat(v2.nearest(new float[] {7, 7}, 1, null)).extracting(VersionView.Neighbor::offset).containsExactly(3);
            assertThat(v2.nearest(new float[] {1, 1}, 3, null)).extracting(VersionView.Neighbor::offset).doesNotContain(1);
        }
    }

    @Test
    void aLogThatNetsToNothingMakesAnEmptyVersion() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion v = f.apply(add(0, 3), LogBatch.delete(List.of("r0", "r1", "r2")));
            assertThat(v.count()).isZero();
            assertThat(v.liveOffsets().isEmpty()).isTrue();
            assertThat(v.matching(new dev.strata.filter.MetadataFilter.Compare("k", dev.strata.filter.MetadataFilter.CompareOp.NE, "x"),
                    new dev.strata.filter.DocumentFilter.Contains("record", true)).isEmpty()).isTrue();
            assertThat(v.nearest(new float[] {1, 1}, 3, null)).isEmpty();
            CompactedVersion next = f.apply(add(5, 7));
            assertThat(next.offsetOf("r5")).isZero();
            assertThat(SegmentFixture.readAll(next)).isEqualTo(f.expected);
            assertThat(next.nearest(new float[] {5, 1}, 1, null)).extracting(VersionView.Neighbor::offset).containsExactly(0);
        }
    }

    @Test
    void aColdNodeReadsOnlyWhatAQueryNeeds() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion written = f.apply(add(0, 300));
            int roots = written.manifest().roots().size();
            try (dev.strata.storage.BlockCache cold = new dev.strata.storage.BlockCache(f.store, 16L << 20);
                 VectorIndexes coldIndexes = new VectorIndexes(f.store, dir.resolve("cold-node"))) {
                int before = f.store.reads().size();
                CompactedVersion v = new CompactedVersions(cold, coldIndexes, new VersionPins()).open(written.manifest().objectKey());
                int open = f.store.reads().size() - before;
                // manifest, every root (one wave), then the live bitmap's block with each index segment's
                // centroid and member blocks (a second wave)
                int segments = written.manifest().segmentIds().size();
                assertThat(open).isEqualTo(1 + roots + 1 + 2 * segments);
                before = f.store.reads().size();
                int[] hits = v.matching(new dev.strata.filter.MetadataFilter.Compare("k", dev.strata.filter.MetadataFilter.CompareOp.EQ, "v1"), null).toArray();
                assertThat(hits).hasSize(100);
                v.read(java.util.Arrays.copyOf(hits, 5), VersionView.Fields.ALL);
                // the posting block (already loaded with the live bitmap), then one block per field, and the
                // vectors' posting block
                assertThat(f.store.reads().size() - before).isLessThanOrEqualTo(6);
                v.close();
            }
        }
    }

    @Test
    void aCorruptManifestIsReportedWithItsKey() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion v = f.apply(add(0, 2));
            String key = v.manifest().objectKey();
            byte[] bytes = f.store.get(key);
            bytes[5] ^= 1;
            f.store.put(key, bytes);
            // The node that wrote the manifest remembers it; a node reading it from the store finds the corruption.
            CompactedVersions reader = new CompactedVersions(f.cache, f.indexes, f.pins);
            assertThatThrownBy(() -> reader.open(key))
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining(key);
            assertThat(f.pins.pinnedVersions(f.collection)).containsExactly(1L);
        }
    }

    @Test
    void pinsTheVersionWhileOpen() {
        try (SegmentFixture f = new SegmentFixture(dir)) {
            CompactedVersion v = f.apply(add(0, 2));
            CompactedVersion again = f.versions.open(v.manifest().objectKey());
            assertThat(f.pins.pinnedVersions(f.collection)).containsExactly(1L);
            again.close();
            again.close();
            assertThat(f.pins.pinnedVersions(f.collection)).containsExactly(1L);
            v.close();
            assertThat(f.pins.pinnedVersions(f.collection)).isEmpty();
        }
    }

    /** ADD of records r{from} .. r{to - 1} with 2-d embeddings, a document and metadata. */
    static LogBatch add(int from, int to) {
        return SegmentFixture.adds(from, to, i -> new float[] {i, 1}, i -> mapOf("k", "v" + (i % 3), "n", (long) i));
    }

    static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
