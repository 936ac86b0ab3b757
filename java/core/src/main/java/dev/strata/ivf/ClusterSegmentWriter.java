package dev.strata.ivf;

import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.CommitResult;
import dev.strata.blockfile.ValueType;
import dev.strata.blockfile.VectorWithCode;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.roaringbitmap.RoaringBitmap;

/**
 * Clusters a batch of vectors (k-means, then {@link ClusterBalancer} to the params' cluster-size bounds) and
 * writes them as a new, immutable index segment: centroids, posting lists
 * keyed by {@link PostingKeys} (each cluster's vectors contiguous, in blocks of their own: a block never
 * holds two clusters, a large cluster takes several) and the
 * members of each cluster, plus the tombstones (offsets whose older vector this segment removes without
 * replacing it). Unless codes are switched off, the centroid file also holds the segment's SQ8 quantizer
 * ({@link SegmentCodes}, trained on the segment's vectors), and readers derive each posting block's codes when
 * they decode it: the posting blocks store the float vectors only. Never touches another segment.
 */
public final class ClusterSegmentWriter {

    private final BlockCache cache;
    private final String keyPrefix;
    private final long targetBlockBytes;
    private final Codes codes;

    /** How a segment's vectors are coded for the code scan. */
    enum Codes {
        /** No quantizer: the segment is searched on its float vectors. */
        NONE,
        /** The quantizer in the centroid file; codes derived from the vectors when a posting block is decoded. */
        DERIVED,
        /** Each code stored next to its vector in the posting blocks (segments written 2026-12-05 to 2026-12-07; tests). */
        STORED
    }

    /** A writer of segments with codes unless switched off ({@link SegmentCodes#enabledByDefault()}). */
    public ClusterSegmentWriter(BlockCache cache, String keyPrefix, long targetBlockBytes) {
        this(cache, keyPrefix, targetBlockBytes, SegmentCodes.enabledByDefault());
    }

    /** {@code codes}: whether segments are searched by 8-bit codes (derived when read; false: floats only). */
    public ClusterSegmentWriter(BlockCache cache, String keyPrefix, long targetBlockBytes, boolean codes) {
        this(cache, keyPrefix, targetBlockBytes, codes ? Codes.DERIVED : Codes.NONE);
    }

    ClusterSegmentWriter(BlockCache cache, String keyPrefix, long targetBlockBytes, Codes codes) {
        this.cache = cache;
        this.keyPrefix = keyPrefix;
        this.targetBlockBytes = targetBlockBytes;
        this.codes = codes;
    }

    /** The written segment and the objects written for it. */
    public record Written(SegmentFiles files, int count, List<String> objectKeys) {}

    /**
     * Writes a segment of {@code vectors} (each of the params' dimension) at {@code offsets}, with
     * {@code tombstones} (may be empty). Deterministic clustering for a seed.
     */
    public Written write(IvfParams params, int[] offsets, List<float[]> vectors, RoaringBitmap tombstones, long seed) {
        if (offsets.length != vectors.size()) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + vectors.size() + " vectors");
        }
        int dim = params.dimension();
        int n = vectors.size();
        int k = n == 0 ? 0 : Math.max(1, (int) Math.round((double) n / params.clusterSize()));
        float[] centroids = k == 0 ? new float[0] : KMeans.train(params.space(), dim, vectors, k, seed);
        k = centroids.length / dim;
        int[] assignment = k == 0 ? new int[0] : KMeans.assign(params.space(), dim, centroids, k, vectors);
        if (k > 0) {
            ClusterBalancer.Clustering balanced = ClusterBalancer.balance(params, vectors, centroids, assignment, seed);
            centroids = balanced.centroids();
            assignment = balanced.assignment();
            k = balanced.clusters(dim);
        }

        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        BlockfileWriter<float[]> centroidFile = BlockfileWriter.create(cache, keyPrefix, ValueType.floatVector(dim), targetBlockBytes);
        // A posting block never holds two clusters: a probe reads its clusters' vectors and no others.
        SegmentCodes quantizer = codes != Codes.NONE && n > 0 ? SegmentCodes.train(params.space(), dim, vectors) : null;
        Postings postingFile = quantizer == null || codes == Codes.DERIVED
                ? new Postings(create(ValueType.floatVector(dim)), null, null)
                : new Postings(null, create(ValueType.floatVectorWithCode(dim)), quantizer);
        BlockfileWriter<RoaringBitmap> memberFile = BlockfileWriter.create(cache, keyPrefix, ValueType.BITMAP, targetBlockBytes);
        RoaringBitmap[] members = new RoaringBitmap[k];
        for (int c = 0; c < k; c++) {
            float[] centroid = new float[dim];
            System.arraycopy(centroids, c * dim, centroid, 0, dim);
            centroidFile.set(PostingKeys.PREFIX, (long) c, centroid);
            members[c] = new RoaringBitmap();
        }
        if (quantizer != null) {
            quantizer.writeTo(centroidFile);
        }
        for (int i = 0; i < n; i++) {
            float[] v = vectors.get(i);
            if (v.length != dim) {
                throw new IllegalArgumentException("vector of dimension " + v.length + " in an index of dimension " + dim);
            }
            postingFile.set(params.space(), PostingKeys.of(assignment[i], offsets[i]), v);
            members[assignment[i]].add(offsets[i]);
        }
        for (int c = 0; c < k; c++) {
            if (!members[c].isEmpty()) {
                memberFile.set(PostingKeys.PREFIX, (long) c, members[c]);
            }
        }
        if (!tombstones.isEmpty()) {
            memberFile.set(PostingKeys.PREFIX, PostingKeys.TOMBSTONES, tombstones);
        }
        // The three files are written concurrently: one wave of uploads, not three.
        // All three are waited for even when one fails, so no upload outlives the failure.
        List<CommitResult> r = Futures.joinAll(List.of(
                CompletableFuture.supplyAsync(centroidFile::commit),
                CompletableFuture.supplyAsync(postingFile::commit),
                CompletableFuture.supplyAsync(memberFile::commit)));
        List<String> written = new ArrayList<>();
        for (CommitResult c : r) {
            written.add(c.rootKey());
            written.addAll(c.writtenBlockKeys());
        }
        return new Written(new SegmentFiles(id, r.get(0).rootKey(), r.get(1).rootKey(), r.get(2).rootKey()), n, written);
    }

    private <V> BlockfileWriter<V> create(ValueType<V> type) {
        return BlockfileWriter.create(cache, keyPrefix, type, targetBlockBytes).cutAt(PostingKeys.BY_CLUSTER);
    }

    /** The posting file being written: vectors alone, or vectors with their codes. */
    private record Postings(BlockfileWriter<float[]> plain, BlockfileWriter<VectorWithCode> coded, SegmentCodes quantizer) {
        void set(Space space, long key, float[] v) {
            if (coded != null) {
                coded.set(PostingKeys.PREFIX, key, new VectorWithCode(v, quantizer.encode(space, v)));
            } else {
                plain.set(PostingKeys.PREFIX, key, v);
            }
        }

        CommitResult commit() {
            return coded != null ? coded.commit() : plain.commit();
        }
    }
}
