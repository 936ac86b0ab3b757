package dev.strata.ivf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class ClusteredIndexTest {

    static final int DIM = 32;

    @TempDir
    Path dir;

    /** Clustered data: 40 random centres, points around them. */
    static Map<Integer, float[]> clustered(int from, int to, long seed) {
        Random r = new Random(seed);
        Random centres = new Random(1);
        float[][] c = new float[40][DIM];
        for (float[] v : c) {
            for (int j = 0; j < DIM; j++) {
                v[j] = centres.nextFloat() * 10;
            }
        }
        Map<Integer, float[]> out = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            float[] centre = c[r.nextInt(c.length)];
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = centre[j] + (float) r.nextGaussian();
            }
            out.put(i, v);
        }
        return out;
    }

    static int[] exactTop(Space space, float[] q, Map<Integer, float[]> current, RoaringBitmap allowed, int k) {
        return current.entrySet().stream()
                .filter(e -> allowed == null || allowed.contains(e.getKey()))
                .sorted((a, b) -> Float.compare(dist(space, q, a.getValue()), dist(space, q, b.getValue())))
                .limit(k).mapToInt(Map.Entry::getKey).toArray();
    }

    static float dist(Space space, float[] q, float[] v) {
        return DistanceKernels.distances(space, q, MemorySegment.ofArray(v), 1)[0];
    }

    static double recall(int[] expected, int[] got) {
        long hit = Arrays.stream(got).filter(g -> Arrays.stream(expected).anyMatch(e -> e == g)).count();
        return (double) hit / expected.length;
    }

    @Test
    void segmentsAddedOverCompactionsAnswerWithHighRecallAndHideReplacedRemovedAndDeletedVectors() {
        for (Space space : Space.values()) {
            try (BlockCache cache = new BlockCache(new LocalObjectStore(dir.resolve(space.chromaName())), 256L << 20)) {
                IvfParams params = new IvfParams(space, DIM, 64, 16);
                IndexUpdate update = new IndexUpdate(cache, "c/test/", 64 << 10, params);
                Map<Integer, float[]> current = new LinkedHashMap<>();
                RoaringBitmap live = new RoaringBitmap();
                ClusteredIndex index = null;
                Random r = new Random(3);
                for (int round = 0; round < 14; round++) {
                    Map<Integer, float[]> adds = clustered(round * 500, round * 500 + 500, round);
                    // replace some older vectors, delete some records, remove some embeddings
                    if (round > 0) {
                        for (int j = 0; j < 20; j++) {
                            int o = r.nextInt(round * 500);
                            if (live.contains(o)) {
                                adds.put(o, clustered(o, o + 1, 1000 + o).get(o));
                            }
                        }
                    }
                    adds.keySet().forEach(live::add);
                    current.putAll(adds);
                    RoaringBitmap removed = new RoaringBitmap();
                    if (round > 1) {
                        for (int j = 0; j < 10; j++) {
                            int o = r.nextInt(round * 500);
                            if (!adds.containsKey(o)) {
                                live.remove(o);
                                current.remove(o);
                            }
                        }
                        int o = r.nextInt(round * 500);
                        if (live.contains(o) && !adds.containsKey(o)) {
                            removed.add(o);
                            current.remove(o);
                        }
                    }
                    IndexUpdate.Result result = update.apply(index, live, adds, removed, round);
                    index = ClusteredIndex.open(cache, params, result.segments(), live);
                }
                assertThat(index.segments().size()).as("tiered merges keep few segments").isLessThan(14);
                double sum = 0;
                int queries = 40;
                for (int q = 0; q < queries; q++) {
                    float[] query = clustered(10_000 + q, 10_001 + q, 500 + q).values().iterator().next();
                    int[] got = index.nearest(query, 10, null).offsets();
                    for (int o : got) {
                        assertThat(current).as("only current vectors are found").containsKey(o);
                    }
                    sum += recall(exactTop(space, query, current, null, 10), got);
                }
                assertThat(sum / queries).as("recall@10 in " + space).isGreaterThanOrEqualTo(0.9);
                // stored vectors come back exactly
                int[] some = current.keySet().stream().limit(50).mapToInt(Integer::intValue).toArray();
                float[][] read = index.vectors(some);
                for (int i = 0; i < some.length; i++) {
                    assertThat(read[i]).containsExactly(current.get(some[i]));
                }
                assertThat(index.liveCount()).isEqualTo(current.size());
            }
        }
    }

    @Test
    void aPostingBlockNeverHoldsTwoClustersAndAProbeReadsOnlyItsClustersBlocks() {
        // 4 KiB blocks: a cluster (~64 vectors of 32 floats) takes several; 64 KiB: several clusters would fit one.
        for (long target : new long[] {4 << 10, 64 << 10}) {
            try (BlockCache cache = new BlockCache(new LocalObjectStore(dir.resolve("t" + target)), 256L << 20)) {
                IvfParams params = new IvfParams(Space.L2, DIM, 64, 8);
                Map<Integer, float[]> all = clustered(0, 4000, 5);
                RoaringBitmap live = RoaringBitmap.bitmapOf(all.keySet().stream().mapToInt(Integer::intValue).toArray());
                IndexUpdate.Result result = new IndexUpdate(cache, "c/test/", target, params).apply(null, live, all, new RoaringBitmap(), 1);
                ClusteredIndex index = ClusteredIndex.open(cache, params, result.segments(), live);
                ClusterSegment segment = index.segments().getFirst();
                var postings = segment.postings();
                Map<Integer, java.util.Set<Integer>> blocksHolding = new java.util.HashMap<>();
                boolean someClusterSpansBlocks = false;
                for (int b = 0; b < postings.blockCount(); b++) {
                    java.util.Set<Integer> clusters = new java.util.TreeSet<>();
                    try (var block = postings.block(b)) {
                        for (int row = 0; row < block.size(); row++) {
                            clusters.add(PostingKeys.cluster(block.key(row).num()));
                        }
                    }
                    assertThat(clusters).as("clusters of posting block %d at target %d", b, target).hasSize(1);
                    blocksHolding.computeIfAbsent(clusters.iterator().next(), c -> new java.util.TreeSet<>()).add(b);
                }
                for (int c = 0; c < segment.clusterCount(); c++) {
                    java.util.Set<Integer> expected = blocksHolding.getOrDefault(c, java.util.Set.of());
                    java.util.Set<Integer> found = new java.util.TreeSet<>();
                    for (int b = segment.firstBlockOf(c); b <= segment.lastBlockOf(c); b++) {
                        found.add(b);
                    }
                    assertThat(found).as("blocks of cluster %d", c).isEqualTo(expected);
                    someClusterSpansBlocks |= expected.size() > 1;
                }
                assertThat(someClusterSpansBlocks).as("a cluster larger than a block at target %d", target).isEqualTo(target == 4 << 10);
                float[] query = clustered(9000, 9001, 77).values().iterator().next();
                assertThat(recall(exactTop(Space.L2, query, all, null, 10), index.nearest(query, 10, null).offsets())).isGreaterThanOrEqualTo(0.9);
            }
        }
    }

    /**
     * Each segment probes at least MIN_PROBES clusters, unless the collection asks for fewer (nprobe below it): then a
     * single segment probes exactly nprobe clusters, and reads only their posting blocks.
     */
    @Test
    void anNprobeUnderTheFloorProbesThatManyClusters() {
        LocalObjectStore store = new LocalObjectStore(dir);
        IvfParams params = new IvfParams(Space.L2, DIM, 64, 16);
        Map<Integer, float[]> all = clustered(0, 6000, 12);
        RoaringBitmap live = RoaringBitmap.bitmapOf(all.keySet().stream().mapToInt(Integer::intValue).toArray());
        List<SegmentFiles> segments;
        try (BlockCache cache = new BlockCache(store, 256L << 20)) {
            segments = new IndexUpdate(cache, "c/test/", 64 << 10, params).apply(null, live, all, new RoaringBitmap(), 1).segments();
        }
        assertThat(segments).hasSize(1);
        float[] query = all.get(4321);
        Map<Integer, Long> postingReads = new java.util.TreeMap<>();
        for (int nprobe : new int[] {1, 2, 4, 8}) {
            try (BlockCache cold = new BlockCache(store, 256L << 20)) {
                ClusteredIndex index = ClusteredIndex.open(cold, params.withNprobe(nprobe), segments, live);
                assertThat(index.segments().getFirst().clusterCount()).as("more clusters than a segment scanned whole")
                        .isGreaterThan(ClusteredIndex.SCAN_WHOLE_MAX_CLUSTERS);
                long before = cold.misses();
                Nearest got = index.nearest(query, 10, null);
                postingReads.put(nprobe, cold.misses() - before);
                assertThat(got.offsets()[0]).isEqualTo(4321);
            }
        }
        // Clusters of ~64 vectors of 32 floats fit a 64 KiB block each: one block read per probed cluster.
        assertThat(postingReads.get(1)).isEqualTo(1);
        assertThat(postingReads.get(2)).isEqualTo(2);
        assertThat(postingReads.get(4)).isEqualTo(4);
        assertThat(postingReads.get(8)).isEqualTo(8);
    }

    @Test
    void aSelectiveAllowListKeepsItsRecallAndOnlyAllowedOffsetsAreFound() {
        try (BlockCache cache = new BlockCache(new LocalObjectStore(dir), 256L << 20)) {
            IvfParams params = new IvfParams(Space.L2, DIM, 64, 8);
            Map<Integer, float[]> all = clustered(0, 6000, 9);
            RoaringBitmap live = RoaringBitmap.bitmapOf(all.keySet().stream().mapToInt(Integer::intValue).toArray());
            IndexUpdate.Result result = new IndexUpdate(cache, "c/test/", 64 << 10, params).apply(null, live, all, new RoaringBitmap(), 1);
            ClusteredIndex index = ClusteredIndex.open(cache, params, result.segments(), live);
            for (int every : new int[] {7, 29, 97}) {
                RoaringBitmap allowed = RoaringBitmap.bitmapOf(IntStream.range(0, 6000).filter(i -> i % every == 0).toArray());
                double sum = 0;
                for (int q = 0; q < 20; q++) {
                    float[] query = clustered(20_000 + q, 20_001 + q, 900 + q).values().iterator().next();
                    int[] got = index.nearest(query, 10, allowed).offsets();
                    for (int o : got) {
                        assertThat(allowed.contains(o)).isTrue();
                    }
                    sum += recall(exactTop(Space.L2, query, all, allowed, 10), got);
                }
                assertThat(sum / 20).as("recall@10 with 1 in %d allowed", every).isGreaterThanOrEqualTo(0.9);
            }
            assertThat(index.nearest(new float[DIM], 5, new RoaringBitmap()).size()).isZero();
        }
    }

    /**
     * A memory tier smaller than one query's posting blocks: the answers are those of a large tier, and after each
     * query the blocks' off-heap memory is what the tier holds, no more (a block the tier dropped is freed at once
     * unless a candidate holds it, and candidates release theirs when the query ends).
     */
    @Test
    void aMemoryTierSmallerThanAQueryGivesTheSameAnswersAndHoldsOnlyWhatItWeighs() {
        LocalObjectStore store = new LocalObjectStore(dir);
        IvfParams params = new IvfParams(Space.L2, DIM, 64, 8);
        Map<Integer, float[]> all = clustered(0, 6000, 9);
        RoaringBitmap live = liveOf(all);
        List<SegmentFiles> files = writeInSmallBlocks(store, params, all);
        List<RoaringBitmap> filters = new ArrayList<>();
        filters.add(null);
        for (int every : new int[] {7, 29, 97}) {
            filters.add(RoaringBitmap.bitmapOf(IntStream.range(0, 6000).filter(i -> i % every == 0).toArray()));
        }
        List<Nearest> expected = new ArrayList<>();
        try (BlockCache large = new BlockCache(store, 256L << 20)) {
            ClusteredIndex index = ClusteredIndex.open(large, params, files, live);
            for (int q = 0; q < 10; q++) {
                for (RoaringBitmap allowed : filters) {
                    expected.add(index.nearest(clustered(20_000 + q, 20_001 + q, 900 + q).values().iterator().next(), 10, allowed));
                }
            }
        }
        // What one cold query reads into a tier that holds it all: each probed block once.
        long[] coldReads = new long[filters.size()];
        for (int f = 0; f < filters.size(); f++) {
            try (BlockCache large = new BlockCache(store, 256L << 20)) {
                ClusteredIndex index = ClusteredIndex.open(large, params, files, live);
                index.segments().forEach(ClusterSegment::clusterCount); // the heads: only posting reads count below
                long before = large.misses();
                index.nearest(clustered(20_000, 20_001, 900).values().iterator().next(), 10, filters.get(f));
                coldReads[f] = large.misses() - before;
            }
        }
        long before = dev.strata.blockfile.Block.liveNativeBytes();
        long tier = 24 << 10;
        BlockCache tiny = new BlockCache(store, tier);
        ClusteredIndex index = ClusteredIndex.open(tiny, params, files, live);
        long peak = 0;
        int i = 0;
        for (int q = 0; q < 10; q++) {
            for (RoaringBitmap allowed : filters) {
                long misses = tiny.misses();
                Nearest got = index.nearest(clustered(20_000 + q, 20_001 + q, 900 + q).values().iterator().next(), 10, allowed);
                if (q == 0) {
                    assertThat(tiny.misses() - misses).as("query %d reads each probed block once, though the tier holds"
                            + " a few", i).isLessThanOrEqualTo(coldReads[filters.indexOf(allowed)]);
                }
                assertThat(got.offsets()).as("query %d", i).containsExactly(expected.get(i).offsets());
                assertThat(got.distances()).as("query %d", i).containsExactly(expected.get(i).distances());
                // Caffeine defers an eviction a contended write could not do (concurrent loads of one wave) to its
                // next maintenance: run it, then the tier's memory is within its bound.
                tiny.stats();
                peak = Math.max(peak, dev.strata.blockfile.Block.liveNativeBytes() - before);
                i++;
            }
        }
        assertThat(tiny.misses()).as("blocks were read again and again").isGreaterThan(500);
        assertThat(peak).as("off-heap bytes of blocks held between queries").isPositive().isLessThanOrEqualTo(tier);
        tiny.close();
        assertThat(dev.strata.blockfile.Block.liveNativeBytes() - before).as("held once the tier is closed").isLessThanOrEqualTo(0);
        store.close();
    }

    /**
     * A pass over a whole segment (a merge, a warm graph's build) sees every vector but leaves the memory tier as it
     * found it: blocks it had to read are freed after use, blocks already there are used from there.
     */
    @Test
    void aPassOverASegmentSeesEveryVectorWithoutFillingTheMemoryTier() {
        LocalObjectStore store = new LocalObjectStore(dir);
        IvfParams params = new IvfParams(Space.L2, DIM, 64, 8);
        Map<Integer, float[]> all = clustered(0, 3000, 4);
        RoaringBitmap live = liveOf(all);
        List<SegmentFiles> files = writeInSmallBlocks(store, params, all);
        try (BlockCache cache = new BlockCache(store, 256L << 20)) {
            ClusteredIndex index = ClusteredIndex.open(cache, params, files, live);
            ClusterSegment segment = index.segments().getFirst();
            index.nearest(all.get(7), 10, null); // a query caches the blocks of the clusters it probes
            var postings = segment.postings();
            List<Integer> cachedBefore = IntStream.range(0, postings.blockCount()).filter(postings::isCached).boxed().toList();
            assertThat(cachedBefore).isNotEmpty().hasSizeLessThan(postings.blockCount());
            long memoryBefore = cache.stats().memoryBytes();
            long nativeBefore = dev.strata.blockfile.Block.liveNativeBytes();
            long loadsBefore = cache.passLoads();

            RoaringBitmap mask = RoaringBitmap.bitmapOf(IntStream.range(0, 3000).filter(i -> i % 3 != 0).toArray());
            Map<Integer, float[]> seen = new java.util.HashMap<>();
            segment.forEachVector(mask, (offset, v) -> seen.put(offset, v.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT)));

            assertThat(seen).hasSize(mask.getCardinality());
            seen.forEach((offset, v) -> assertThat(v).containsExactly(all.get(offset)));
            assertThat(IntStream.range(0, postings.blockCount()).filter(postings::isCached).boxed().toList())
                    .as("the memory tier holds what it held").isEqualTo(cachedBefore);
            assertThat(cache.stats().memoryBytes()).isEqualTo(memoryBefore);
            assertThat(cache.passLoads() - loadsBefore).as("only the blocks not cached were read")
                    .isEqualTo(postings.blockCount() - cachedBefore.size());
            assertThat(dev.strata.blockfile.Block.liveNativeBytes()).as("the blocks read for the pass are freed")
                    .isLessThanOrEqualTo(nativeBefore);
        }
        store.close();
    }

    private static RoaringBitmap liveOf(Map<Integer, float[]> all) {
        return RoaringBitmap.bitmapOf(all.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    /** One segment of {@code all} in 4 KiB posting blocks (several per cluster), written through a cache of its own. */
    private static List<SegmentFiles> writeInSmallBlocks(LocalObjectStore store, IvfParams params, Map<Integer, float[]> all) {
        try (BlockCache writing = new BlockCache(store, 256L << 20)) {
            return new IndexUpdate(writing, "c/test/", 4 << 10, params).apply(null, liveOf(all), all, new RoaringBitmap(), 1).segments();
        }
    }

    @Test
    void theMergePolicyMergesATierOfTenAndRewritesDeadHeavySegments() {
        List<MergePolicy.Candidate> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(new MergePolicy.Candidate(i, 1000, 1000));
        }
        assertThat(MergePolicy.select(nine.subList(0, 8), 1000).merged()).isEmpty();
        MergePolicy.Selection s = MergePolicy.select(nine, 1000);
        assertThat(s.merged()).hasSize(9);
        assertThat(s.includesPending()).isTrue();
        // segments of a large tier do not merge past the cap
        List<MergePolicy.Candidate> big = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            big.add(new MergePolicy.Candidate(i, 100_000, 100_000));
        }
        assertThat(MergePolicy.select(big, 1000).merged()).isEmpty();
        // a big pending batch (a bulk load's compaction step) in a full tier merges only with what fits beside it
        assertThat(MergePolicy.select(big, 70_000).merged()).isEmpty();
        assertThat(MergePolicy.select(big, 70_000).includesPending()).isFalse();
        List<MergePolicy.Candidate> withSmall = new ArrayList<>(big);
        withSmall.set(4, new MergePolicy.Candidate(4, 50_000, 50_000));
        MergePolicy.Selection joined = MergePolicy.select(withSmall, 70_000);
        assertThat(joined.merged()).containsExactly(4);
        assertThat(joined.includesPending()).isTrue();
        // a segment with most of its vectors dead is rewritten
        assertThat(MergePolicy.select(List.of(new MergePolicy.Candidate(0, 10_000, 4000)), 0).merged()).containsExactly(0);
    }
}
