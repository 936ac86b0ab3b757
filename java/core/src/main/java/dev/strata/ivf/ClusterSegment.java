package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.blockfile.BlockAddress;
import dev.strata.blockfile.BlockfileEntry;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.roaringbitmap.RoaringBitmap;

/**
 * One immutable index segment opened for reading. Its head (centroids and cluster members) is small and
 * read whole when the version opens; its posting blocks are read on demand through the block cache, and a
 * probed cluster's vectors are handed to the distance kernels as a slice of the block's memory (no copy).
 */
public final class ClusterSegment {

    /** Posting blocks a streaming read loads at once (16 MiB at the default block size). */
    static final int READ_AHEAD_BLOCKS = 16;

    private final SegmentFiles files;
    private final int dimension;
    private final BlockfileReader<float[]> centroidFile;
    private final BlockfileReader<float[]> postings;
    private final BlockfileReader<RoaringBitmap> memberFile;
    private volatile Head head;

    private record Head(MemorySegment centroids, int clusters, RoaringBitmap[] members, RoaringBitmap all,
            RoaringBitmap tombstones) {}

    private ClusterSegment(SegmentFiles files, int dimension, BlockfileReader<float[]> centroidFile,
            BlockfileReader<float[]> postings, BlockfileReader<RoaringBitmap> memberFile) {
        this.files = files;
        this.dimension = dimension;
        this.centroidFile = centroidFile;
        this.postings = postings;
        this.memberFile = memberFile;
    }

    /** Opens the segment's roots (cached: a version open reads every root in one wave before this). */
    public static ClusterSegment open(BlockCache cache, SegmentFiles files, int dimension) {
        return new ClusterSegment(files, dimension,
                BlockfileReader.open(cache, files.centroidsRoot(), ValueType.floatVector(dimension)),
                BlockfileReader.open(cache, files.postingsRoot(), ValueType.floatVector(dimension)),
                BlockfileReader.open(cache, files.membersRoot(), ValueType.BITMAP));
    }

    public SegmentFiles files() {
        return files;
    }

    /** Loads the head's blocks (centroids and members) into the cache, concurrently: one round trip cold. */
    public void loadHeadBlocks() {
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            Futures.awaitAll(List.of(io.submit(centroidFile::loadAll), io.submit(memberFile::loadAll)), "reading an index segment head");
        }
    }

    /**
     * The addresses of the head's blocks (centroids, members) by the segment's part names: what a version
     * manifest names so that a cold open reads them alongside the roots.
     */
    public java.util.Map<String, List<BlockAddress>> headBlocks() {
        return java.util.Map.of(
                SegmentFiles.part(files.id(), SegmentFiles.CENTROIDS), centroidFile.addresses(),
                SegmentFiles.part(files.id(), SegmentFiles.MEMBERS), memberFile.addresses());
    }

    private Head head() {
        Head h = head;
        if (h == null) {
            synchronized (this) {
                h = head;
                if (h == null) {
                    h = readHead();
                    head = h;
                }
            }
        }
        return h;
    }

    private Head readHead() {
        loadHeadBlocks();
        int clusters = (int) centroidFile.count();
        long rowBytes = (long) dimension * Float.BYTES;
        // Centroids are small (clusters x dim floats): one contiguous off-heap matrix for the kernels.
        MemorySegment matrix = Arena.ofAuto().allocate(Math.max(1, clusters * rowBytes), 64);
        long at = 0;
        for (int b = 0; b < centroidFile.blockCount(); b++) {
            Block<float[]> block = centroidFile.block(b);
            long bytes = block.size() * rowBytes;
            MemorySegment.copy(block.vectors(), 0, matrix, at, bytes);
            at += bytes;
        }
        RoaringBitmap[] members = new RoaringBitmap[clusters];
        RoaringBitmap tombstones = new RoaringBitmap();
        for (BlockfileEntry<RoaringBitmap> e : memberFile.entries().toList()) {
            long key = e.key().num();
            if (key == PostingKeys.TOMBSTONES) {
                tombstones = e.value();
            } else {
                members[(int) key] = e.value();
            }
        }
        for (int c = 0; c < clusters; c++) {
            if (members[c] == null) {
                members[c] = new RoaringBitmap();
            }
        }
        RoaringBitmap all = RoaringBitmap.or(java.util.Arrays.stream(members).iterator());
        return new Head(matrix, clusters, members, all, tombstones);
    }

    public int clusterCount() {
        return head().clusters();
    }

    /** Every offset this segment holds a vector for. */
    public RoaringBitmap offsets() {
        return head().all();
    }

    /** Offsets whose older vectors this segment removes without holding a new one. */
    public RoaringBitmap tombstones() {
        return head().tombstones();
    }

    public int clusterSize(int cluster) {
        return head().members()[cluster].getCardinality();
    }

    RoaringBitmap members(int cluster) {
        return head().members()[cluster];
    }

    /** The clusters nearest the query, nearest first (at most every cluster). */
    int[] nearestClusters(Space space, MemorySegment query, int count) {
        Head h = head();
        count = Math.min(count, h.clusters());
        if (count <= 0) {
            return new int[0];
        }
        Neighbors n = DistanceKernels.topK(space, query, h.centroids(), h.clusters(), dimension, count);
        int[] out = new int[n.ids().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) n.ids()[i];
        }
        return out;
    }

    /**
     * The indexes of the posting blocks that hold a cluster's vectors: found from the keys of its first and
     * last members, so a block that only ends before the cluster is not counted (blocks cut at clusters).
     */
    List<Integer> blocksOf(int cluster) {
        List<Integer> out = new ArrayList<>();
        RoaringBitmap m = members(cluster);
        if (postings.blockCount() == 0 || m.isEmpty()) {
            return out;
        }
        int first = postings.blockIndexOf(PostingKeys.PREFIX, PostingKeys.of(cluster, m.first()));
        int last = postings.blockIndexOf(PostingKeys.PREFIX, PostingKeys.of(cluster, m.last()));
        for (int b = Math.max(0, first); b <= last; b++) {
            out.add(b);
        }
        return out;
    }

    BlockfileReader<float[]> postings() {
        return postings;
    }

    /**
     * Offers every vector of {@code cluster} whose offset is in {@code mask} to {@code out}, with its distance
     * to the query computed by the SIMD kernels over the block's memory.
     */
    void scan(Space space, MemorySegment query, int cluster, RoaringBitmap mask, TopK out, Scratch scratch) {
        long first = PostingKeys.firstOf(cluster);
        long last = PostingKeys.lastOf(cluster);
        long rowBytes = (long) dimension * Float.BYTES;
        for (int b : blocksOf(cluster)) {
            Block<float[]> block = postings.block(b);
            int lo = lowerBound(block, first);
            int hi = lowerBound(block, last + 1 == 0 ? Long.MAX_VALUE : last + 1);
            int n = hi - lo;
            if (n <= 0) {
                continue;
            }
            MemorySegment rows = block.vectors().asSlice(lo * rowBytes, n * rowBytes);
            float[] d = scratch.distances(n);
            DistanceKernels.distances(space, query, rows, n, dimension, MemorySegment.ofArray(d));
            for (int i = 0; i < n; i++) {
                if (d[i] < out.bound()) {
                    int offset = PostingKeys.offset(block.key(lo + i).num());
                    if (mask.contains(offset)) {
                        out.offer(offset, d[i]);
                    }
                }
            }
        }
    }

    /** The first row of a block whose key is at least {@code key}. */
    private static int lowerBound(Block<float[]> block, long key) {
        int lo = 0;
        int hi = block.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (block.key(mid).num() < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The cluster holding an offset's vector, or -1. */
    int clusterOf(int offset) {
        Head h = head();
        if (!h.all().contains(offset)) {
            return -1;
        }
        for (int c = 0; c < h.clusters(); c++) {
            if (h.members()[c].contains(offset)) {
                return c;
            }
        }
        return -1;
    }

    /** Loads the posting blocks of these offsets (all held by this segment) into the cache at once. */
    void prefetchVectors(int[] offsets) {
        List<Long> keys = new ArrayList<>(offsets.length);
        for (int o : offsets) {
            int c = clusterOf(o);
            if (c >= 0) {
                keys.add(PostingKeys.of(c, o));
            }
        }
        postings.prefetch(PostingKeys.PREFIX, keys);
    }

    /** An offset's vector in its block's memory, or null when this segment does not hold it. */
    MemorySegment vector(int offset) {
        int c = clusterOf(offset);
        return c < 0 ? null : postings.vector(PostingKeys.PREFIX, PostingKeys.of(c, offset)).orElse(null);
    }

    /** Receives vectors in their block's memory. */
    public interface VectorSink {
        void accept(int offset, MemorySegment vector);
    }

    /** Hands every vector of this segment whose offset is in {@code mask} to the sink, block by block. */
    public void forEachVector(RoaringBitmap mask, VectorSink sink) {
        for (int b = 0; b < postings.blockCount(); b++) {
            if (b % READ_AHEAD_BLOCKS == 0) {
                // A merge streams a segment: its blocks are read a batch at a time, concurrently.
                int from = b;
                postings.loadBlocks(java.util.stream.IntStream.range(from, Math.min(postings.blockCount(), from + READ_AHEAD_BLOCKS))
                        .boxed().toList());
            }
            Block<float[]> block = postings.block(b);
            for (int row = 0; row < block.size(); row++) {
                int offset = PostingKeys.offset(block.key(row).num());
                if (mask.contains(offset)) {
                    sink.accept(offset, block.vector(row));
                }
            }
        }
    }

    /** Reused distance buffers of one search. */
    static final class Scratch {
        private float[] distances = new float[1024];

        float[] distances(int n) {
            if (distances.length < n) {
                distances = new float[Math.max(n, distances.length * 2)];
            }
            return distances;
        }
    }
}
