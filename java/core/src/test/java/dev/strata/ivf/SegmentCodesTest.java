package dev.strata.ivf;

import static dev.strata.ivf.ClusteredIndexTest.clustered;
import static dev.strata.ivf.ClusteredIndexTest.exactTop;
import static dev.strata.ivf.ClusteredIndexTest.recall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Posting blocks with 8-bit codes: searched by codes then reranked exactly, next to segments without codes. */
class SegmentCodesTest {

    @TempDir
    Path dir;

    private static RoaringBitmap liveOf(Map<Integer, float[]> vectors) {
        return RoaringBitmap.bitmapOf(vectors.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void codesWithRerankKeepTheRecallOfTheExactScanInEverySpace() {
        for (Space space : Space.values()) {
            try (BlockCache cache = new BlockCache(new LocalObjectStore(dir.resolve(space.chromaName())), 256L << 20)) {
                IvfParams params = new IvfParams(space, ClusteredIndexTest.DIM, 64, 16);
                Map<Integer, float[]> all = clustered(0, 6000, 11);
                RoaringBitmap live = liveOf(all);
                IndexUpdate.Result written = new IndexUpdate(cache, "c/t/", 64 << 10, params, true).apply(null, live, all, new RoaringBitmap(), 1);
                ClusteredIndex coded = ClusteredIndex.open(cache, params, written.segments(), live).withRerankFactor(ClusteredIndex.RERANK_FACTOR);
                assertThat(coded.segments()).allMatch(ClusterSegment::hasCodes);
                ClusteredIndex floats = coded.withRerankFactor(0);
                double withCodes = 0;
                double exactScan = 0;
                for (int q = 0; q < 30; q++) {
                    float[] query = clustered(50_000 + q, 50_001 + q, 300 + q).values().iterator().next();
                    int[] expected = exactTop(space, query, all, null, 10);
                    Nearest got = coded.nearest(query, 10, null);
                    withCodes += recall(expected, got.offsets());
                    exactScan += recall(expected, floats.nearest(query, 10, null).offsets());
                    // Distances are exact after the rerank: the same as the float scan gives for the same offsets.
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(got.distances()[i]).isEqualTo(ClusteredIndexTest.dist(space, query, all.get(got.offsets()[i])));
                    }
                }
                assertThat(withCodes / 30).as("recall@10 with codes in %s", space).isGreaterThanOrEqualTo(0.95);
                assertThat(withCodes / 30).as("codes lose little against the exact scan in %s", space).isGreaterThanOrEqualTo(exactScan / 30 - 0.02);
            }
        }
    }

    @Test
    void aFilteredCodeScanReturnsOnlyAllowedOffsets() {
        try (BlockCache cache = new BlockCache(new LocalObjectStore(dir), 256L << 20)) {
            IvfParams params = new IvfParams(Space.L2, ClusteredIndexTest.DIM, 64, 8);
            Map<Integer, float[]> all = clustered(0, 6000, 9);
            RoaringBitmap live = liveOf(all);
            IndexUpdate.Result written = new IndexUpdate(cache, "c/t/", 64 << 10, params, true).apply(null, live, all, new RoaringBitmap(), 1);
            ClusteredIndex index = ClusteredIndex.open(cache, params, written.segments(), live).withRerankFactor(ClusteredIndex.RERANK_FACTOR);
            for (int every : new int[] {2, 7, 29}) {
                RoaringBitmap allowed = RoaringBitmap.bitmapOf(IntStream.range(0, 6000).filter(i -> i % every == 0).toArray());
                double sum = 0;
                for (int q = 0; q < 20; q++) {
                    float[] query = clustered(20_000 + q, 20_001 + q, 900 + q).values().iterator().next();
                    int[] got = index.nearest(query, 10, allowed).offsets();
                    assertThat(got).hasSize(10);
                    for (int o : got) {
                        assertThat(allowed.contains(o)).as("offset %d allowed (1 in %d)", o, every).isTrue();
                    }
                    sum += recall(exactTop(Space.L2, query, all, allowed, 10), got);
                }
                assertThat(sum / 20).as("recall@10 with 1 in %d allowed", every).isGreaterThanOrEqualTo(0.9);
            }
        }
    }

    @Test
    void segmentsWithoutCodesAreStillSearchedAndAMergeWritesCodesWhileReadersGetFloats() {
        try (BlockCache cache = new BlockCache(new LocalObjectStore(dir), 256L << 20)) {
            IvfParams params = new IvfParams(Space.COSINE, ClusteredIndexTest.DIM, 64, 16);
            // A segment as today's main writes it: float32 only.
            Map<Integer, float[]> current = new LinkedHashMap<>(clustered(0, 3000, 4));
            RoaringBitmap live = liveOf(current);
            IndexUpdate.Result old = new IndexUpdate(cache, "c/t/", 64 << 10, params, false)
                    .apply(null, live, new LinkedHashMap<>(current), new RoaringBitmap(), 1);
            ClusteredIndex index = ClusteredIndex.open(cache, params, old.segments(), live);
            assertThat(index.segments()).noneMatch(ClusterSegment::hasCodes);
            // Then segments with codes added over it (a mixed index), up to a merge of the tier.
            IndexUpdate update = new IndexUpdate(cache, "c/t/", 64 << 10, params, true);
            int mergesSeen = 0;
            for (int round = 1; round <= 11; round++) {
                Map<Integer, float[]> adds = clustered(3000 + round * 100, 3100 + round * 100, 40 + round);
                adds.keySet().forEach(live::add);
                current.putAll(adds);
                IndexUpdate.Result r = update.apply(index, live, adds, new RoaringBitmap(), 1 + round);
                mergesSeen += r.mergedSegments();
                index = ClusteredIndex.open(cache, params, r.segments(), live);
                double sum = 0;
                for (int q = 0; q < 10; q++) {
                    float[] query = clustered(70_000 + q, 70_001 + q, 600 + q).values().iterator().next();
                    sum += recall(exactTop(Space.COSINE, query, current, null, 10), index.nearest(query, 10, null).offsets());
                }
                assertThat(sum / 10).as("recall@10 of a mixed index, round %d", round).isGreaterThanOrEqualTo(0.9);
            }
            assertThat(mergesSeen).as("the small segments were merged").isPositive();
            for (ClusterSegment s : index.segments()) {
                assertThat(s.hasCodes()).as("segment %s (merged or new) has codes unless it is the old one", s.files().id())
                        .isEqualTo(!s.files().equals(old.segments().getFirst()));
            }
            // Readers of posting blocks (the warm graph, merges, include embeddings) get the float vectors.
            Map<Integer, float[]> seen = new HashMap<>();
            for (int i = 0; i < index.segments().size(); i++) {
                index.segments().get(i).forEachVector(index.mask(i), (o, v) -> seen.put(o, v.toArray(ValueLayout.JAVA_FLOAT)));
            }
            assertThat(seen).hasSize(current.size());
            current.forEach((o, v) -> assertThat(seen.get(o)).containsExactly(v));
            float[][] read = index.vectors(new int[] {0, 3150, 4150});
            assertThat(read[0]).containsExactly(current.get(0));
            assertThat(read[1]).containsExactly(current.get(3150));
            assertThat(read[2]).containsExactly(current.get(4150));
        }
    }
}
