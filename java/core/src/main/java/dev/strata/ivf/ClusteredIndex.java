package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * The clustered vector index of one version: its segments, oldest first, each with the mask of offsets
 * whose current vector it holds (live, and not replaced or removed by a newer segment). Immutable.
 *
 * <p>A query probes, in every segment, a share of {@code nprobe} clusters proportional to the segment's
 * size (all of a small segment's), loads every probed posting block in one wave of concurrent reads, and
 * scans them: on the 8-bit codes where the segment has them, keeping a few candidates per result that are
 * then reranked with exact distances from the same blocks' float vectors; exactly where it has none. An allow-list from a metadata filter is applied inside the scan; a selective one
 * widens the probe in proportion, and a small one is answered exactly from its records' vectors.
 */
public final class ClusteredIndex {

    /** A segment of at most this many clusters is scanned whole. */
    static final int SCAN_WHOLE_MAX_CLUSTERS = 8;
    /** Every segment probes at least this many clusters (or nprobe, when smaller). */
    static final int MIN_PROBES = 4;
    /** An allow-list of at most this many records per k result is answered with exact distances. */
    public static final int EXACT_PER_K = 50;
    /** ... or of at most this fraction of the live records. */
    public static final double EXACT_FRACTION = 0.02;

    /**
     * A code scan keeps {@code RERANK_FACTOR * k} candidates (at least {@link #MIN_RERANK}) for the exact
     * rerank: chosen by measurement (docs/bench.md, "Codes and rerank").
     */
    public static final int RERANK_FACTOR = 4;
    public static final int MIN_RERANK = 40;

    /**
     * A query holds at most about this many bytes of posting blocks at once (a wave of probes); more are read a wave
     * at a time. An unfiltered query at 1M x 384 probes about 40 MB.
     */
    static final long WAVE_BYTES = 64L << 20;

    private final IvfParams params;
    private final List<ClusterSegment> segments;
    private final RoaringBitmap[] masks;
    /** Each mask's cardinality, counted once: a mask of run containers counts its runs at every call. */
    private final long[] maskCounts;
    private final long live;
    private final int rerankFactor;

    private ClusteredIndex(IvfParams params, List<ClusterSegment> segments, RoaringBitmap[] masks, int rerankFactor) {
        this.params = params;
        this.segments = List.copyOf(segments);
        this.masks = masks;
        this.rerankFactor = rerankFactor;
        this.maskCounts = new long[masks.length];
        long total = 0;
        for (int i = 0; i < masks.length; i++) {
            maskCounts[i] = masks[i].getLongCardinality();
            total += maskCounts[i];
        }
        this.live = total;
    }

    /**
     * Whether index segments written from now on carry 8-bit codes, and indexes opened from now on search through
     * them (on by default; the STRATA_IVF_CODES setting, for the whole process).
     */
    public static void useCodes(boolean on) {
        SegmentCodes.enable(on);
    }

    /**
     * Opens the segments (their roots are expected in the cache) and reads every segment's head in one
     * wave of concurrent reads. {@code live} are the version's live offsets.
     */
    public static ClusteredIndex open(BlockCache cache, IvfParams params, List<SegmentFiles> files, RoaringBitmap live) {
        return open(params, files.stream().map(f -> ClusterSegment.open(cache, f, params.space(), params.dimension())).toList(), live);
    }

    /** As {@link #open(BlockCache, IvfParams, List, RoaringBitmap)}, over segments already opened. */
    public static ClusteredIndex open(IvfParams params, List<ClusterSegment> segments, RoaringBitmap live) {
        if (segments.size() > 1) {
            try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
                Futures.awaitAll(segments.stream().map(s -> io.submit(s::loadHeadBlocks)).toList(), "reading index segment heads");
            }
        }
        RoaringBitmap[] masks = new RoaringBitmap[segments.size()];
        RoaringBitmap newer = new RoaringBitmap();
        for (int i = segments.size() - 1; i >= 0; i--) {
            ClusterSegment s = segments.get(i);
            RoaringBitmap mask = RoaringBitmap.and(s.offsets(), live);
            mask.andNot(newer);
            masks[i] = mask;
            newer.or(s.offsets());
            newer.or(s.tombstones());
        }
        return new ClusteredIndex(params, segments, masks, SegmentCodes.enabledByDefault() ? RERANK_FACTOR : 0);
    }

    public IvfParams params() {
        return params;
    }

    /** The segments, oldest first. */
    public List<ClusterSegment> segments() {
        return segments;
    }

    /** The offsets whose current vector segment {@code i} holds. */
    public RoaringBitmap mask(int i) {
        return masks[i];
    }

    /** Vectors that are live and current. */
    public long liveCount() {
        return live;
    }

    /** The same segments searched with another nprobe (a configuration change needs no rewrite). */
    public ClusteredIndex withNprobe(int nprobe) {
        return nprobe == params.nprobe() ? this : new ClusteredIndex(params.withNprobe(nprobe), segments, masks, rerankFactor);
    }

    /**
     * The same segments searched through their codes, keeping {@code factor * k} candidates (at least
     * {@link #MIN_RERANK}) for the exact rerank; 0: every probed vector is scored exactly, as segments without
     * codes always are.
     */
    public ClusteredIndex withRerankFactor(int factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("rerank factor must be >= 0, got " + factor);
        }
        return factor == rerankFactor ? this : new ClusteredIndex(params, segments, masks, factor);
    }

    /** How many code-scan candidates a search for k nearest reranks. */
    private int rerankSize(int k) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) k * rerankFactor, MIN_RERANK));
    }

    /** Whether a search among this many allowed records is answered with exact distances. */
    public boolean answersExactly(long allowedCount, int k) {
        return allowedCount <= (long) k * EXACT_PER_K || allowedCount <= live * EXACT_FRACTION;
    }

    /** The k nearest current vectors to the query among {@code allowed} (null: all), nearest first. */
    public Nearest nearest(float[] query, int k, RoaringBitmap allowed) {
        return nearest(query, k, allowed, null);
    }

    /**
     * As {@link #nearest(float[], int, RoaringBitmap)} among the vectors of the segments {@code skipped} does not
     * name (null: every segment): the warm graph answers for the others. A skipped segment's share of the probe is
     * not spent elsewhere, and a filter widens the probe by the share it allows of the segments searched.
     */
    public Nearest nearest(float[] query, int k, RoaringBitmap allowed, BitSet skipped) {
        if (query.length != params.dimension()) {
            throw new IllegalArgumentException("query embedding has dimension " + query.length
                    + " but the collection's embeddings have dimension " + params.dimension());
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        RoaringBitmap[] candidates = new RoaringBitmap[segments.size()];
        long allowedCount = 0;
        long searched = 0;
        for (int i = 0; i < candidates.length; i++) {
            if (skipped != null && skipped.get(i)) {
                candidates[i] = new RoaringBitmap();
                continue;
            }
            candidates[i] = allowed == null ? masks[i] : RoaringBitmap.and(masks[i], allowed);
            allowedCount += allowed == null ? maskCounts[i] : candidates[i].getLongCardinality();
            searched += maskCounts[i];
        }
        if (allowedCount == 0) {
            return new Nearest(new int[0], new float[0]);
        }
        // No more than the candidates can be found: a huge n_results must not size the result arrays.
        k = (int) Math.min(k, allowedCount);
        MemorySegment q = MemorySegment.ofArray(query);
        if ((allowed != null || skipped != null) && answersExactly(allowedCount, k)) {
            return exact(q, k, candidates);
        }
        double fraction = (double) allowedCount / Math.max(1, searched);
        // A segment's share of nprobe can round to nothing: each probes at least MIN_PROBES, or nprobe when the
        // collection asks for fewer (then it asked for speed over recall, and a single segment gets what it asked).
        int probeFloor = Math.min(MIN_PROBES, params.nprobe());
        Map<Integer, int[]> probes = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            if (candidates[i].isEmpty()) {
                continue;
            }
            ClusterSegment s = segments.get(i);
            int clusters = s.clusterCount();
            int share = (int) Math.ceil((double) params.nprobe() * maskCounts[i] / Math.max(1, live));
            int count = clusters <= SCAN_WHOLE_MAX_CLUSTERS ? clusters
                    : (int) Math.min(clusters, Math.ceil(Math.max(probeFloor, share) / fraction));
            probes.put(i, s.nearestClusters(params.space(), q, count));
        }
        TopK top = new TopK(k);
        boolean coded = rerankFactor > 0 && probes.keySet().stream().anyMatch(i -> segments.get(i).hasCodes());
        // Segments with codes are scored on them into a few candidates per result, reranked exactly below;
        // the others (written without codes) are scanned exactly into the result directly.
        RerankCandidates rerank = coded ? new RerankCandidates(rerankSize(k)) : null;
        try {
            float[] codeQuery = coded ? SegmentCodes.prepared(params.space(), query) : null;
            ClusterSegment.Scratch scratch = new ClusterSegment.Scratch(coded ? rerankSize(k) : 0);
            List<Probe> order = new ArrayList<>();
            probes.forEach((i, clusters) -> {
                ClusterSegment s = segments.get(i);
                for (int c : clusters) {
                    order.add(new Probe(i, c, blockKeys(i, s.firstBlockOf(c), s.lastBlockOf(c))));
                }
            });
            for (List<Probe> wave : waves(order, Probe::blocks)) {
                try (HeldBlocks held = holdProbes(wave)) {
                    for (Probe p : wave) {
                        ClusterSegment s = segments.get(p.segment());
                        IntFunction<Block<?>> blocks = b -> held.get(p.segment(), b);
                        if (coded && s.hasCodes()) {
                            s.scanCodes(params.space(), codeQuery, p.cluster(), candidates[p.segment()], rerank, scratch, blocks);
                        } else {
                            s.scan(params.space(), q, p.cluster(), candidates[p.segment()], top, scratch, blocks);
                        }
                    }
                }
            }
            if (rerank != null) {
                rerank.rerank(params.space(), q, params.dimension(), top);
            }
        } finally {
            if (rerank != null) {
                rerank.close(); // the blocks its candidates held
            }
        }
        return Nearest.of(top);
    }

    /** One probed cluster of one segment, and the keys ({@link #blockKey}) of the posting blocks it reads. */
    private record Probe(int segment, int cluster, long[] blocks) {}

    private static long[] blockKeys(int segment, int first, int last) {
        long[] keys = new long[Math.max(0, last - first + 1)];
        for (int j = 0; j < keys.length; j++) {
            keys[j] = blockKey(segment, first + j);
        }
        return keys;
    }

    private static long blockKey(int segment, int block) {
        return ((long) segment << 32) | block;
    }

    private static int segmentOf(long blockKey) {
        return (int) (blockKey >>> 32);
    }

    /**
     * Items in their order (probes, or blocks), cut into waves whose posting blocks weigh at most {@link #WAVE_BYTES}
     * (a wave has at least one item; a block two items of a wave share counts once): a query holds one wave's blocks
     * at a time, so a selective filter that probes far more than the memory tier holds neither holds them all at once
     * nor reads a block twice.
     */
    private <T> List<List<T>> waves(List<T> items, Function<T, long[]> blocksOf) {
        long upperBound = 0; // blocks shared by two items counted twice
        for (T item : items) {
            for (long key : blocksOf.apply(item)) {
                upperBound += bytesOf(key);
            }
        }
        if (upperBound <= WAVE_BYTES) {
            return List.of(items); // the common case: one wave, no set of blocks to keep
        }
        List<List<T>> waves = new ArrayList<>();
        List<T> wave = new ArrayList<>();
        java.util.Set<Long> blocks = new java.util.HashSet<>();
        long bytes = 0;
        for (T item : items) {
            long[] of = blocksOf.apply(item);
            if (!wave.isEmpty() && bytes + newBytes(of, blocks) > WAVE_BYTES) {
                waves.add(wave);
                wave = new ArrayList<>();
                blocks.clear();
                bytes = 0;
            }
            bytes += newBytes(of, blocks);
            wave.add(item);
            for (long key : of) {
                blocks.add(key);
            }
        }
        if (!wave.isEmpty()) {
            waves.add(wave);
        }
        return waves;
    }

    /** The bytes of the blocks in {@code of} not already in {@code counted}. */
    private long newBytes(long[] of, java.util.Set<Long> counted) {
        long sum = 0;
        for (long key : of) {
            if (!counted.contains(key)) {
                sum += bytesOf(key);
            }
        }
        return sum;
    }

    private long bytesOf(long blockKey) {
        return postingsOf(blockKey).blockBytes((int) blockKey);
    }

    /** {@link #hold(List)} of every posting block a wave of probes reads. */
    private HeldBlocks holdProbes(List<Probe> wave) {
        java.util.Set<Long> keys = new java.util.LinkedHashSet<>();
        for (Probe p : wave) {
            for (long key : p.blocks()) {
                keys.add(key);
            }
        }
        return hold(new ArrayList<>(keys));
    }

    /**
     * Takes a reference to each of these distinct posting blocks, reading those not cached all at once (one round
     * trip of latency when cold); they stay valid until released even if the memory tier drops them meanwhile.
     */
    private HeldBlocks hold(List<Long> keys) {
        int missing = 0;
        for (long key : keys) {
            if (!postingsOf(key).isCached((int) key)) {
                missing++;
            }
        }
        HeldBlocks held = new HeldBlocks();
        if (missing <= 1) { // warm: read in place, no suppliers or loader threads
            try {
                for (long key : keys) {
                    held.blocks.put(key, postingsOf(key).block((int) key));
                }
            } catch (RuntimeException | Error e) {
                held.close();
                throw e;
            }
            return held;
        }
        List<Supplier<Block<?>>> reads = new ArrayList<>(keys.size());
        for (long key : keys) {
            reads.add(() -> postingsOf(key).block((int) key));
        }
        List<Block<?>> blocks = BlockfileReader.readAll(reads, true);
        for (int j = 0; j < keys.size(); j++) {
            held.blocks.put(keys.get(j), blocks.get(j));
        }
        return held;
    }

    private BlockfileReader<?> postingsOf(long blockKey) {
        return segments.get(segmentOf(blockKey)).postings();
    }

    /** Posting blocks a query holds for one wave, by segment and block index; released together. */
    private static final class HeldBlocks implements AutoCloseable {
        private final Map<Long, Block<?>> blocks = new java.util.HashMap<>();

        Block<?> get(long blockKey) {
            return blocks.get(blockKey);
        }

        Block<?> get(int segment, int block) {
            return get(blockKey(segment, block));
        }

        @Override
        public void close() {
            blocks.values().forEach(Block::release);
            blocks.clear();
        }
    }

    private Nearest exact(MemorySegment q, int k, RoaringBitmap[] candidates) {
        TopK top = new TopK(k);
        float[] d = new float[1];
        MemorySegment out = MemorySegment.ofArray(d);
        forEachCurrent(candidates, (offset, v) -> {
            DistanceKernels.distances(params.space(), q, v, 1, params.dimension(), out);
            top.offer(offset, d[0]);
        });
        return Nearest.of(top);
    }

    /** The segment holding an offset's current vector (-1: none: not live, or no embedding). */
    private int ownerOf(int offset) {
        for (int i = masks.length - 1; i >= 0; i--) {
            if (masks[i].contains(offset)) {
                return i;
            }
        }
        return -1;
    }

    /** The current vectors of these offsets as fresh arrays (null where an offset has none). */
    public float[][] vectors(int[] offsets) {
        RoaringBitmap[] wanted = new RoaringBitmap[segments.size()];
        for (int i = 0; i < wanted.length; i++) {
            wanted[i] = new RoaringBitmap();
        }
        for (int o : offsets) {
            int owner = ownerOf(o);
            if (owner >= 0) {
                wanted[owner].add(o);
            }
        }
        Map<Integer, float[]> found = new java.util.HashMap<>();
        forEachCurrent(wanted, (offset, v) -> found.put(offset, v.toArray(ValueLayout.JAVA_FLOAT)));
        float[][] out = new float[offsets.length][];
        for (int i = 0; i < offsets.length; i++) {
            out[i] = found.get(offsets[i]);
        }
        return out;
    }

    /**
     * Hands the vectors of the given offsets of each segment to the sink, block by block: the blocks are held a wave
     * at a time (read all at once when cold), so each is read once however small the memory tier.
     */
    private void forEachCurrent(RoaringBitmap[] perSegment, ClusterSegment.VectorSink sink) {
        Map<Long, List<Integer>> byBlock = new LinkedHashMap<>();
        for (int i = 0; i < perSegment.length; i++) {
            ClusterSegment s = segments.get(i);
            for (int offset : perSegment[i].toArray()) {
                int b = s.blockOfOffset(offset);
                if (b >= 0) {
                    byBlock.computeIfAbsent(blockKey(i, b), key -> new ArrayList<>()).add(offset);
                }
            }
        }
        for (List<Long> wave : waves(new ArrayList<>(byBlock.keySet()), key -> new long[] {key})) {
            try (HeldBlocks held = hold(wave)) {
                for (long key : wave) {
                    ClusterSegment s = segments.get(segmentOf(key));
                    Block<?> block = held.get(key);
                    for (int offset : byBlock.get(key)) {
                        MemorySegment v = s.vectorIn(block, offset);
                        if (v != null) {
                            sink.accept(offset, v);
                        }
                    }
                }
            }
        }
    }
}
