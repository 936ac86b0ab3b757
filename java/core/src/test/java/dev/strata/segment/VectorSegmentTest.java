package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.filter.MetadataFilter.CompareOp;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** k-NN of compacted versions: HNSW kept up to date incrementally, filtered search, exact search. */
class VectorSegmentTest {

    private static final int DIM = 16;
    private static final int K = 10;

    @TempDir
    Path dir;

    private final Random random = new Random(42);

    @Test
    void incrementalUpdatesKeepRecallAndNeverReturnDeletedRecords() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            f.apply(adds(0, 2000));
            assertRecall(f, null);
            int next = 2000;
            for (int round = 0; round < 3; round++) {
                List<String> live = new ArrayList<>(f.expected.keySet());
                List<String> replaced = pick(live, 200);
                List<String> deleted = pick(live, 200).stream().filter(id -> !replaced.contains(id)).toList();
                float[][] newVectors = new float[replaced.size()][];
                for (int i = 0; i < newVectors.length; i++) {
                    newVectors[i] = vector();
                }
                CompactedVersion v = f.apply(
                        adds(next, next + 300),
                        new LogBatch(LogOperation.UPDATE, replaced, newVectors, null, null, null),
                        LogBatch.delete(deleted));
                next += 300;
                assertThat(v.count()).isEqualTo(f.expected.size());
                assertRecall(f, null);
                Set<String> gone = new HashSet<>(deleted);
                for (int q = 0; q < 20; q++) {
                    for (VersionView.Neighbor n : v.nearest(vector(), 50, null)) {
                        String id = v.read(new int[] {n.offset()}, VersionView.Fields.NONE).getFirst().id();
                        assertThat(gone).doesNotContain(id);
                    }
                }
            }
        }
    }

    @Test
    void aVersionAnswersTheSameWhileLaterVersionsAreWritten() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            CompactedVersion v1 = f.apply(adds(0, 1000));
            List<float[]> queries = new ArrayList<>();
            List<List<VersionView.Neighbor>> answers = new ArrayList<>();
            for (int q = 0; q < 10; q++) {
                queries.add(vector());
                answers.add(v1.nearest(queries.getLast(), K, null));
            }
            Map<String, Record> records = SegmentFixture.readAll(v1);
            List<String> ids = new ArrayList<>(records.keySet());
            float[][] moved = new float[500][];
            for (int i = 0; i < moved.length; i++) {
                moved[i] = vector();
            }
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 3; round++) {
                    f.apply(new LogBatch(LogOperation.UPDATE, ids.subList(0, 500), moved, null, null, null),
                            LogBatch.delete(ids.subList(500 + round * 100, 600 + round * 100)));
                }
            });
            do {
                for (int q = 0; q < queries.size(); q++) {
                    assertThat(v1.nearest(queries.get(q), K, null)).isEqualTo(answers.get(q));
                }
                assertThat(SegmentFixture.readAll(v1)).isEqualTo(records);
            } while (!writer.isDone());
            writer.get();
            assertThat(f.current.version()).isEqualTo(4);
            assertThat(SegmentFixture.readAll(v1)).isEqualTo(records);
        }
    }

    @Test
    void aVersionWhoseBlocksFailToWriteLeavesNoIndexBehindAndTheNextOneWorks() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            CompactedVersion v1 = f.apply(adds(0, 500));
            int loaded = f.indexes.loadedCount();
            f.store.failKeys(key -> key.contains("/b/"));
            // The index is built beside the failing blockfile writes: it must not stay loaded as the newest.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.apply(adds(500, 800)))
                    .isInstanceOf(dev.strata.storage.ObjectStoreException.class);
            assertThat(f.indexes.loadedCount()).isEqualTo(loaded);
            assertThat(f.current).isSameAs(v1);

            f.store.heal();
            CompactedVersion v2 = f.apply(adds(500, 800));
            assertThat(v2.liveOffsets().getCardinality()).isEqualTo(800);
            float[] probe = f.expected.get("r650").embedding();
            assertThat(v2.nearest(probe, 1, null).getFirst().offset()).isEqualTo(v2.offsetOf("r650"));
        }
    }

    @Test
    void anotherNodeOpeningTheVersionAnswersTheSame() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            CompactedVersion v = f.apply(adds(0, 1500));
            try (VectorIndexes other = new VectorIndexes(f.store, dir.resolve("other-node"), 10_000);
                 CompactedVersion copy = new CompactedVersions(f.cache, other, new VersionPins()).open(v.manifest().objectKey())) {
                assertThat(v.manifest().indexFiles()).as("no index file: vectors live in blocks").isEmpty();
                for (int q = 0; q < 10; q++) {
                    float[] query = vector();
                    assertThat(copy.nearest(query, K, null)).isEqualTo(v.nearest(query, K, null));
                }
            }
        }
    }

    @Test
    void aColdOpenReadsNoBlockBeyondTheRootsAndTheBlocksItsManifestNames() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            f.apply(adds(0, 1500));
            CompactedVersion v = f.apply(adds(1500, 2000));
            VersionManifest m = v.manifest();
            assertThat(m.segmentIds()).hasSizeGreaterThan(1);
            Set<String> named = new HashSet<>();
            m.openBlocks().forEach(b -> named.add(b.key()));
            assertThat(m.openBlocks().stream().map(VersionManifest.OpenBlock::part))
                    .contains(SegmentParts.METADATA_INDEX)
                    .anyMatch(part -> part.endsWith(".centroids")).anyMatch(part -> part.endsWith(".members"));
            List<String> gets = java.util.Collections.synchronizedList(new ArrayList<>());
            var recording = new dev.strata.storage.ForwardingObjectStore(f.store) {
                @Override
                protected <T> T request(dev.strata.storage.RequestStats.Op op, String key, java.util.function.Supplier<T> call) {
                    gets.add(key);
                    return call.get();
                }

                @Override
                public String describe() {
                    return "recording";
                }
            };
            try (dev.strata.storage.BlockCache cold = new dev.strata.storage.BlockCache(recording, 64L << 20);
                 VectorIndexes other = new VectorIndexes(recording, dir.resolve("other-node"), 10_000);
                 CompactedVersion copy = new CompactedVersions(cold, other, new VersionPins()).open(m.objectKey())) {
                // Every block the open read was named by the manifest, so all were read in the roots' wave.
                Set<String> expected = new HashSet<>(named);
                expected.addAll(m.roots().values());
                expected.add(m.objectKey());
                assertThat(gets).isNotEmpty().allMatch(expected::contains);
                assertThat(gets).containsAll(named);
                float[] query = vector();
                assertThat(copy.nearest(query, K, null)).isEqualTo(v.nearest(query, K, null));
            }
        }
    }

    @Test
    void anAllowListExcludingAFewRecordsIsAppliedAfterTheSearch() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16)) {
            CompactedVersion v = f.apply(adds(0, 2000));
            float[] query = vector();
            RoaringBitmap allowed = v.liveOffsets().clone();
            v.nearest(query, 5, null).forEach(n -> allowed.remove(n.offset()));
            assertThat(v.answersExactly(allowed.getCardinality(), K)).isFalse();
            List<VersionView.Neighbor> found = v.nearest(query, K, allowed);
            assertThat(found).hasSize(K).allMatch(n -> allowed.contains(n.offset()));
            assertRecall(f, allowed);
        }
    }

    @Test
    void filteredSearchAtOnePercentAndThirtyPercentSelectivity() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.COSINE, 1 << 16)) {
            CompactedVersion v = f.apply(adds(0, 5000));
            MetadataFilter onePercent = new MetadataFilter.Compare("bucket", CompareOp.EQ, 7L);
            MetadataFilter thirtyPercent = new MetadataFilter.Compare("decile", CompareOp.LT, 3L);
            RoaringBitmap small = v.matching(onePercent, null);
            RoaringBitmap large = v.matching(thirtyPercent, null);
            assertThat(small.getCardinality()).isEqualTo(50);
            assertThat(large.getCardinality()).isEqualTo(1500);
            assertThat(v.answersExactly(small.getCardinality(), K)).isTrue();
            assertThat(v.answersExactly(large.getCardinality(), K)).isFalse();
            assertRecall(f, small);
            assertRecall(f, large);
        }
    }

    @Test
    void exactSearchSkipsRecordsWithoutEmbeddingsAndDistancesFollowTheSpace() {
        try (SegmentFixture f = new SegmentFixture(dir, Space.IP, 1 << 16)) {
            CompactedVersion v = f.apply(
                    new LogBatch(LogOperation.ADD, List.of("a", "b", "c"), new float[][] {{1, 0}, {0, 1}, {0.5f, 0.5f}},
                            null, null, null),
                    new LogBatch(LogOperation.ADD, List.of("none"), null, List.of("no vector"), null, null));
            RoaringBitmap all = v.liveOffsets().clone();
            List<VersionView.Neighbor> exact = v.nearest(new float[] {1, 0}, 3, all);
            assertThat(exact).extracting(VersionView.Neighbor::offset).containsExactly(0, 2, 1);
            assertThat(exact.get(0).distance()).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(exact.get(1).distance()).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(v.nearest(new float[] {1, 0}, 3, null)).extracting(VersionView.Neighbor::offset)
                    .containsExactly(0, 2, 1);
            assertThat(v.nearest(new float[] {1, 0}, 3, new RoaringBitmap())).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.nearest(new float[] {1, 0, 0}, 3, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 3");
        }
    }

    /** Recall@K of nearest() against brute force over the expected records (restricted to allowed). */
    private void assertRecall(SegmentFixture f, RoaringBitmap allowed) {
        CompactedVersion v = f.current;
        Map<String, Record> expected = f.expected;
        int hits = 0;
        int total = 0;
        for (int q = 0; q < 30; q++) {
            float[] query = vector();
            List<String> truth = expected.values().stream()
                    .filter(r -> allowed == null || allowed.contains(v.offsetOf(r.id())))
                    .sorted(Comparator.comparingDouble(r -> distance(f.space, query, r.embedding())))
                    .limit(K).map(Record::id).toList();
            List<VersionView.Neighbor> found = v.nearest(query, K, allowed);
            int[] offsets = found.stream().mapToInt(VersionView.Neighbor::offset).toArray();
            if (allowed != null) {
                for (int o : offsets) {
                    assertThat(allowed.contains(o)).isTrue();
                }
            }
            Set<String> got = new HashSet<>();
            v.read(offsets, VersionView.Fields.NONE).forEach(r -> got.add(r.id()));
            hits += (int) truth.stream().filter(got::contains).count();
            total += truth.size();
        }
        assertThat((double) hits / total).as("recall@%d", K).isGreaterThanOrEqualTo(0.95);
    }

    static double distance(Space space, float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return switch (space) {
            case L2 -> l2;
            case IP -> 1 - dot;
            case COSINE -> 1 - dot / Math.sqrt(na * nb);
        };
    }

    private LogBatch adds(int from, int to) {
        return SegmentFixture.adds(from, to, i -> vector(), i -> Map.of("bucket", (long) (i % 100), "decile", (long) (i % 10)));
    }

    private List<String> pick(List<String> from, int n) {
        List<String> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, random);
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }

    private float[] vector() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
