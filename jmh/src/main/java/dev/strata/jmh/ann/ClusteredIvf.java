package dev.strata.jmh.ann;

import dev.strata.blockfile.BlockfileWriter;
import dev.strata.ivf.ClusterSegment;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.ivf.IndexUpdate;
import dev.strata.ivf.IvfParams;
import dev.strata.ivf.Nearest;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Strata's clustered (IVF) index as a compaction writes it: the data set's vectors go through {@link IndexUpdate}
 * (k-means per segment, {@code ClusterSegmentWriter}'s blockfiles of 1 MiB blocks) into a {@link LocalObjectStore}
 * in a temporary folder, behind a memory-only {@link BlockCache} large enough to hold every block, and are searched
 * by {@link ClusteredIndex#nearest} (centroid scan, posting-block lookups in the cache, SIMD scan of the block
 * memory in place). Space ip, cluster size 256 (the default), one segment per 131,072 vectors as a bulk
 * compaction writes them. Its breadth is nprobe, the clusters probed across the segments. With codes (engine
 * "clustered", the default format) posting blocks hold 8-bit codes next to the vectors and a query scans the codes,
 * then reranks {@link ClusteredIndex#RERANK_FACTOR} x k candidates exactly; "clustered-float" writes and scans
 * float32 vectors only (the format before codes).
 */
final class ClusteredIvf implements AnnIndex {
    private static final long SEED = 1;

    private final Path folder;
    private final LocalObjectStore store;
    private final BlockCache cache;
    private final float[][] queries;
    private final long storedBytes;
    private ClusteredIndex index;

    private final boolean codes;

    /** {@code codes}: segments written with 8-bit codes and searched through them (reranked), else floats only. */
    ClusteredIvf(AnnDataset data, boolean codes) {
        this.codes = codes;
        this.queries = data.queries();
        try {
            folder = Files.createTempDirectory("strata-ivf-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long vectorBytes = (long) data.size() * data.dim() * Float.BYTES;
        store = new LocalObjectStore(folder);
        // Twice the vectors' bytes: room for every block, so searches never read the folder after the build.
        cache = new BlockCache(store, 2 * vectorBytes + (64L << 20));
        IvfParams params = new IvfParams(Space.IP, data.dim(), IvfParams.DEFAULT_CLUSTER_SIZE, IvfParams.DEFAULT_NPROBE);
        Map<Integer, float[]> adds = new LinkedHashMap<>();
        float[][] vectors = data.vectors();
        for (int i = 0; i < vectors.length; i++) {
            adds.put(i, vectors[i]);
        }
        RoaringBitmap live = new RoaringBitmap();
        live.add(0L, vectors.length);
        IndexUpdate.Result written = new IndexUpdate(cache, "c/bench/", BlockfileWriter.DEFAULT_TARGET_BLOCK_BYTES, params, codes)
                .apply(null, live, adds, new RoaringBitmap(), SEED);
        index = ClusteredIndex.open(cache, params, written.segments(), live)
                .withRerankFactor(codes ? ClusteredIndex.RERANK_FACTOR : 0);
        // Warm: every posting block read into the memory tier once, as queries decode it (with its codes), so the
        // benchmark measures searches in memory and memoryBytes() counts the whole index.
        index.segments().forEach(ClusterSegment::loadPostings);
        storedBytes = folderBytes(folder);
    }

    @Override
    public String describeBuild() {
        return "IndexUpdate cluster_size=" + index.params().clusterSize()
                + (codes ? ", sq8 codes, rerank " + ClusteredIndex.RERANK_FACTOR + "k" : ", float32 only") + ", " + index.segments().size() + " segment(s), "
                + index.segments().stream().mapToInt(ClusterSegment::clusterCount).sum() + " clusters, stored "
                + storedBytes + " bytes";
    }

    @Override
    public String breadthName() {
        return "nprobe";
    }

    /** nprobe counts clusters (~256 vectors each), not results: one may already hold the top 10. */
    @Override
    public int minBreadth(int k) {
        return 1;
    }

    @Override
    public void setBreadth(int breadth) {
        index = index.withNprobe(Math.min(breadth, IvfParams.MAX_NPROBE));
    }

    /** Searches with this rerank factor from now on (0: exact scan of the probed vectors, no codes). */
    void setRerankFactor(int factor) {
        index = index.withRerankFactor(factor);
    }

    @Override
    public Object search(int q, int k) {
        return index.nearest(queries[q], k, null);
    }

    @Override
    public long[] ids(Object result) {
        return Arrays.stream(((Nearest) result).offsets()).asLongStream().toArray();
    }

    /** The block cache's resident bytes (posting, centroid and member blocks) plus the decoded heads' centroid matrices. */
    @Override
    public long memoryBytes() {
        long centroids = index.segments().stream().mapToLong(s -> (long) s.clusterCount() * index.params().dimension() * Float.BYTES).sum();
        return cache.stats().memoryBytes() + centroids;
    }

    @Override
    public void close() {
        cache.close();
        store.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long folderBytes(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
