package dev.strata.segment;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The vector segment of a version: its HNSW index (labels = offset ids) for the whole set or a large
 * allowed set, and exact SIMD distances over the allowed vectors when the allowed set is small, where a
 * filtered graph walk would visit far more nodes than there are candidates and lose recall.
 */
final class VectorSegment {

    /** Brute force when the allowed set is at most this many times k ... */
    static final int BRUTE_FORCE_PER_K = 50;
    /** ... or at most this fraction of the version's records. */
    static final double BRUTE_FORCE_FRACTION = 0.02;

    /** An allow-list that leaves out at most this many live records is applied after an unfiltered search. */
    static final int POST_FILTER_MAX_EXCLUDED = 64;

    private final VectorParams params;
    private final HnswIndex index;
    private final RecordSegment records;
    private final RoaringBitmap live;

    VectorSegment(VectorParams params, HnswIndex index, RecordSegment records, RoaringBitmap live) {
        this.params = params;
        this.index = index;
        this.records = records;
        this.live = live;
    }

    List<VersionView.Neighbor> nearest(float[] query, int k, RoaringBitmap allowed) {
        if (query.length != params.dimension()) {
            throw new IllegalArgumentException("query embedding has dimension " + query.length
                    + " but the collection's embeddings have dimension " + params.dimension());
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (allowed != null && allowed.isEmpty()) {
            return List.of();
        }
        // No more than the live records can be found: a huge n_results must not size the native result arrays.
        k = Math.min(k, Math.max(1, live.getCardinality()));
        if (allowed != null && useBruteForce(allowed.getCardinality(), k)) {
            return exact(query, k, allowed);
        }
        return searchGraph(index, query, k, allowed, live);
    }

    /**
     * The k nearest in an HNSW graph whose labels are offsets, among {@code allowed} (null: all) of the live
     * records {@code live}; k is at most what can be found. Shared by the HNSW file of a first-format version
     * and the warm graph beside a clustered index.
     */
    static List<VersionView.Neighbor> searchGraph(HnswIndex index, float[] query, int k, RoaringBitmap allowed,
            RoaringBitmap live) {
        if (allowed == null) {
            return toNeighbors(index.search(query, k), null);
        }
        int excluded = live.getCardinality() - RoaringBitmap.andCardinality(live, allowed);
        if (excluded <= POST_FILTER_MAX_EXCLUDED) {
            // Nearly everything is allowed (e.g. all but the records the log tail overwrote): an unfiltered
            // search a little deeper, minus the excluded, costs no allow-list of the whole collection.
            List<VersionView.Neighbor> out = new ArrayList<>(k);
            for (VersionView.Neighbor n : toNeighbors(index.search(query, k + excluded), null)) {
                if (out.size() < k && allowed.contains(n.offset())) {
                    out.add(n);
                }
            }
            return out;
        }
        return toNeighbors(index.search(query, k, allowed), null);
    }

    boolean useBruteForce(int allowedCount, int k) {
        return allowedCount <= (long) k * BRUTE_FORCE_PER_K || allowedCount <= live.getCardinality() * BRUTE_FORCE_FRACTION;
    }

    private List<VersionView.Neighbor> exact(float[] query, int k, RoaringBitmap allowed) {
        int[] offsets = allowed.toArray();
        int dim = params.dimension();
        float[] packed = new float[offsets.length * dim];
        int[] rowOffsets = new int[offsets.length];
        int[] rows = {0};
        records.forEachVector(offsets, (offset, v) -> {
            MemorySegment.copy(v, ValueLayout.JAVA_FLOAT, 0, packed, rows[0] * dim, dim);
            rowOffsets[rows[0]++] = offset;
        });
        if (rows[0] == 0) {
            return List.of();
        }
        Neighbors n = DistanceKernels.topK(params.space(), MemorySegment.ofArray(query), MemorySegment.ofArray(packed),
                rows[0], dim, Math.min(k, rows[0]));
        return toNeighbors(n, rowOffsets);
    }

    private static List<VersionView.Neighbor> toNeighbors(Neighbors n, int[] rowOffsets) {
        List<VersionView.Neighbor> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            long id = n.ids()[i];
            out.add(new VersionView.Neighbor(rowOffsets == null ? (int) id : rowOffsets[(int) id], n.distances()[i]));
        }
        return out;
    }
}
