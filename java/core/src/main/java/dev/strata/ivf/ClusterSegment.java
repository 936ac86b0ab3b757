package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.blockfile.BlockAddress;
import dev.strata.blockfile.BlockfileEntry;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueKind;
import dev.strata.blockfile.ValueType;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.roaringbitmap.RoaringBitmap;

/**
 * One immutable index segment opened for reading. Its head (centroids and cluster members) is small and
 * read whole when the version opens; its posting blocks are read on demand through the block cache, and a
 * probed cluster's vectors (or their 8-bit codes, when the segment has them) are handed to the native
 * kernels as a slice of the block's memory (no copy).
 */
public final class ClusterSegment {

    /** Posting blocks a streaming read loads at once (16 MiB at the default block size). */
    static final int READ_AHEAD_BLOCKS = 16;

    private final SegmentFiles files;
    /** The index's space: derived codes are those of the vectors as the code scan takes them. */
    private final Space space;
    private final int dimension;
    private final BlockfileReader<float[]> centroidFile;
    private final BlockfileReader<?> postings;
    private final BlockfileReader<RoaringBitmap> memberFile;
    private volatile Head head;

    /**
     * {@code codes}: the quantizer of the postings' codes, null when the segment is searched on its vectors only;
     * {@code postings}: the posting file as it is read for queries (with codes derived at decode when they are not
     * stored).
     */
    private record Head(MemorySegment centroids, int clusters, RoaringBitmap[] members, RoaringBitmap all,
            RoaringBitmap tombstones, SegmentCodes codes, BlockfileReader<?> postings, int[] blockRanges) {}

    private ClusterSegment(SegmentFiles files, Space space, int dimension, BlockfileReader<float[]> centroidFile,
            BlockfileReader<?> postings, BlockfileReader<RoaringBitmap> memberFile) {
        this.files = files;
        this.space = space;
        this.dimension = dimension;
        this.centroidFile = centroidFile;
        this.postings = postings;
        this.memberFile = memberFile;
    }

    /**
     * Opens the segment's roots (cached: a version open reads every root in one wave before this). Posting
     * blocks hold vectors alone, with the quantizer in the centroid file (codes derived when a block is
     * decoded), vectors alone without a quantizer (segments written before codes, or with codes switched off:
     * searched on the vectors), or vectors with their stored codes (segments written from 2026-12-05 to
     * 2026-12-07): all three are read.
     */
    public static ClusterSegment open(BlockCache cache, SegmentFiles files, Space space, int dimension) {
        BlockfileReader<?> postings = BlockfileReader.open(cache, files.postingsRoot());
        if (!postings.valueType().equals(ValueType.floatVector(dimension))
                && !postings.valueType().equals(ValueType.floatVectorWithCode(dimension))) {
            throw new IllegalArgumentException("postings " + files.postingsRoot() + " hold " + postings.valueType()
                    + ", not vectors of dimension " + dimension);
        }
        return new ClusterSegment(files, space, dimension,
                BlockfileReader.open(cache, files.centroidsRoot(), ValueType.floatVector(dimension)),
                postings,
                BlockfileReader.open(cache, files.membersRoot(), ValueType.BITMAP));
    }

    /** Whether the segment is searched by 8-bit codes, then reranked (codes stored in its posting blocks or derived). */
    public boolean hasCodes() {
        return head().codes() != null;
    }

    /** Whether the posting blocks store each vector's code next to it (the layout of 2026-12-05 to 2026-12-07). */
    boolean storesCodes() {
        return postings.valueType().kind() == ValueKind.FLOAT_VECTOR_WITH_CODE;
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

    @SuppressWarnings("unchecked")
    private Head readHead() {
        loadHeadBlocks();
        SegmentCodes codes = storesCodes() || SegmentCodes.isIn(centroidFile) ? SegmentCodes.readFrom(centroidFile) : null;
        BlockfileReader<?> queried = codes == null || storesCodes() ? postings
                : ((BlockfileReader<float[]>) postings).withDerivedCodes(codes.encoder(space));
        // The quantizer's rows sort after every centroid (prefix "sq8" after ""): the first rows are the centroids.
        int clusters = (int) centroidFile.count() - (codes == null ? 0 : SegmentCodes.CENTROID_ROWS);
        long rowBytes = (long) dimension * Float.BYTES;
        // Centroids are small (clusters x dim floats): one contiguous off-heap matrix for the kernels.
        MemorySegment matrix = Arena.ofAuto().allocate(Math.max(1, clusters * rowBytes), 64);
        long at = 0;
        for (int b = 0; b < centroidFile.blockCount() && at < clusters * rowBytes; b++) {
            try (Block<float[]> block = centroidFile.block(b)) {
                long bytes = Math.min(block.size() * rowBytes, clusters * rowBytes - at);
                MemorySegment.copy(block.vectors(), 0, matrix, at, bytes);
                at += bytes;
            }
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
        return new Head(matrix, clusters, members, all, tombstones, codes, queried, blockRanges(members));
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
     * The first and last posting block of each cluster (at {@code 2c} and {@code 2c + 1}; last < first for an empty
     * cluster): found from the keys of its first and last members, so a block that only ends before the cluster is
     * not counted (blocks cut at clusters). Computed once with the head: a query asks for every probe.
     */
    private int[] blockRanges(RoaringBitmap[] members) {
        int[] ranges = new int[2 * members.length];
        for (int c = 0; c < members.length; c++) {
            RoaringBitmap m = members[c];
            if (postings.blockCount() == 0 || m.isEmpty()) {
                ranges[2 * c] = 0;
                ranges[2 * c + 1] = -1;
                continue;
            }
            ranges[2 * c] = Math.max(0, postings.blockIndexOf(PostingKeys.PREFIX, PostingKeys.of(c, m.first())));
            ranges[2 * c + 1] = postings.blockIndexOf(PostingKeys.PREFIX, PostingKeys.of(c, m.last()));
        }
        return ranges;
    }

    /** The index of the first posting block holding a cluster's vectors. */
    int firstBlockOf(int cluster) {
        return head().blockRanges()[2 * cluster];
    }

    /** The index of the last posting block holding a cluster's vectors; less than {@link #firstBlockOf} when none. */
    int lastBlockOf(int cluster) {
        return head().blockRanges()[2 * cluster + 1];
    }

    /** Reads every posting block into the memory tier as queries read them (with their codes): a warm-up. */
    public void loadPostings() {
        postings().loadAll();
    }

    /**
     * Drops this segment's posting blocks from the memory tier: they are read again (disk tier, then store) by the
     * next query or pass that needs them.
     */
    public void forgetPostingsInMemory() {
        postings.forgetMemory();
    }

    /** The posting file as queries read it (codes derived at decode when the segment does not store them). */
    BlockfileReader<?> postings() {
        return head().postings();
    }

    /**
     * Offers every vector of {@code cluster} whose offset is in {@code mask} to {@code out}, with its distance
     * to the query computed by the SIMD kernels over the block's memory.
     */
    void scan(Space space, MemorySegment query, int cluster, RoaringBitmap mask, TopK out, Scratch scratch,
            IntFunction<Block<?>> held) {
        long rowBytes = (long) dimension * Float.BYTES;
        forEachRun(cluster, held, (block, lo, n) -> {
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
        });
    }

    /** Receives a run of rows of one block: {@code n} rows from {@code lo}; the block is held only during the call. */
    private interface RowRun {
        void accept(Block<?> block, int lo, int n);
    }

    /**
     * Hands each block's rows of a cluster (one run per block it spans) to {@code run}: the blocks the caller holds
     * ({@code held} by block index, null for one it does not), else read through the cache.
     */
    private void forEachRun(int cluster, IntFunction<Block<?>> held, RowRun run) {
        long first = PostingKeys.firstOf(cluster);
        long last = PostingKeys.lastOf(cluster);
        int lastBlock = lastBlockOf(cluster);
        for (int b = firstBlockOf(cluster); b <= lastBlock; b++) {
            Block<?> mine = held.apply(b);
            Block<?> block = mine != null ? mine : postings().block(b);
            try {
                int lo = lowerBound(block, first);
                int hi = lowerBound(block, last + 1 == 0 ? Long.MAX_VALUE : last + 1);
                if (hi > lo) {
                    run.accept(block, lo, hi - lo);
                }
            } finally {
                if (mine == null) {
                    block.release();
                }
            }
        }
    }

    /**
     * Scores every vector of {@code cluster} whose offset is in {@code mask} on its 8-bit code (the native
     * SQ8 scan over the block's codes, the mask as allow-bits inside the scan) and offers the best to
     * {@code out}, to be reranked exactly. {@code codeQuery} is the query prepared for the codes
     * ({@link SegmentCodes#prepared}). Only for a segment {@link #hasCodes() with codes}.
     */
    void scanCodes(Space space, float[] codeQuery, int cluster, RoaringBitmap mask, RerankCandidates out, Scratch scratch,
            IntFunction<Block<?>> held) {
        SegmentCodes codes = head().codes();
        // Unfiltered searches of a segment without deletions allow every row: no bits to build.
        boolean all = mask.contains(members(cluster));
        forEachRun(cluster, held, (block, lo, n) -> {
            MemorySegment bits = MemorySegment.NULL;
            if (!all) {
                long[] words = scratch.allowBits(n);
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    if (mask.contains(PostingKeys.offset(block.key(lo + i).num()))) {
                        words[i >>> 6] |= 1L << (i & 63);
                        any = true;
                    }
                }
                if (!any) {
                    return;
                }
                bits = MemorySegment.ofArray(words).asSlice(0, (long) ((n + 63) >>> 6) * Long.BYTES);
            }
            MemorySegment rows = block.codes().asSlice((long) lo * dimension, (long) n * dimension);
            int k = Math.min(n, scratch.candidates());
            float[] dist = scratch.distances(k);
            int found = codes.quantizer().topK(space, codeQuery, rows, n, k, bits, scratch.ids(), dist);
            int ref = out.add(block);
            for (int i = 0; i < found; i++) {
                float d = dist[i];
                if (d >= out.bound()) {
                    break;
                }
                out.offer(ref, lo + (int) scratch.ids()[i], d);
            }
        });
    }

    /** The first row of a block whose key is at least {@code key}. */
    private static int lowerBound(Block<?> block, long key) {
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

    /** The index of the posting block holding an offset's vector, or -1 when this segment does not hold it. */
    int blockOfOffset(int offset) {
        int c = clusterOf(offset);
        return c < 0 ? -1 : postings.blockIndexOf(PostingKeys.PREFIX, PostingKeys.of(c, offset));
    }

    /** An offset's vector in {@code block} (its {@link #blockOfOffset}), or null when the block does not hold it. */
    MemorySegment vectorIn(Block<?> block, int offset) {
        int c = clusterOf(offset);
        int row = c < 0 ? -1 : block.find(PostingKeys.PREFIX, PostingKeys.of(c, offset));
        return row < 0 ? null : block.vector(row);
    }

    /** Receives vectors in their block's memory, valid during the call only. */
    public interface VectorSink {
        void accept(int offset, MemorySegment vector);
    }

    /**
     * Hands every vector of this segment whose offset is in {@code mask} to the sink, block by block. A pass over the
     * whole segment (a merge, a warm graph's build): its blocks are read a batch at a time, concurrently, and those
     * not already in the memory tier are released after use instead of filling it ({@link
     * BlockfileReader#blocksForPass}).
     */
    public void forEachVector(RoaringBitmap mask, VectorSink sink) {
        for (int from = 0; from < postings.blockCount(); from += READ_AHEAD_BLOCKS) {
            List<? extends Block<?>> batch = postings.blocksForPass(java.util.stream.IntStream
                    .range(from, Math.min(postings.blockCount(), from + READ_AHEAD_BLOCKS)).boxed().toList());
            try {
                for (Block<?> block : batch) {
                    for (int row = 0; row < block.size(); row++) {
                        int offset = PostingKeys.offset(block.key(row).num());
                        if (mask.contains(offset)) {
                            sink.accept(offset, block.vector(row));
                        }
                    }
                }
            } finally {
                batch.forEach(Block::release);
            }
        }
    }

    /** Reused buffers of one search. */
    static final class Scratch {
        private float[] distances = new float[1024];
        private long[] bits = new long[16];
        private final long[] ids;

        /** {@code candidates}: how many rows a code scan keeps at most (0 for a float scan). */
        Scratch(int candidates) {
            this.ids = new long[candidates];
        }

        int candidates() {
            return ids.length;
        }

        long[] ids() {
            return ids;
        }

        /** Allow-bits for n rows, cleared. */
        long[] allowBits(int n) {
            int words = (n + 63) >>> 6;
            if (bits.length < words) {
                bits = new long[Math.max(words, bits.length * 2)];
            }
            java.util.Arrays.fill(bits, 0, words, 0L);
            return bits;
        }

        float[] distances(int n) {
            if (distances.length < n) {
                distances = new float[Math.max(n, distances.length * 2)];
            }
            return distances;
        }
    }
}
