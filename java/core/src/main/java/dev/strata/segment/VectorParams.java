package dev.strata.segment;

import dev.strata.ivf.IvfParams;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a version's vector index, as stored in {@link VersionManifest#vector()}. Read from
 * the collection's configuration ({@code {"hnsw": {...}}}, or {@code {"spann": {...}}}: its space, search_nprobe
 * and the three cluster-balancing fields) or Chroma's legacy {@code hnsw:*} metadata keys when the first index is
 * built, then carried from version to version.
 *
 * @param splitThreshold        Chroma's spann split_threshold, in Chroma's units (see {@link #ivf()})
 * @param mergeThreshold        Chroma's spann merge_threshold, in Chroma's units
 * @param reassignNeighborCount Chroma's spann reassign_neighbor_count
 */
public record VectorParams(Space space, int dimension, int m, int efConstruction, int efSearch, int nprobe,
        int splitThreshold, int mergeThreshold, int reassignNeighborCount) {

    public static final int DEFAULT_EF = 100;
    /** Manifest keys of the clustered index: its kind and its segment ids, oldest first. */
    public static final String INDEX = "index";
    public static final String CLUSTERED = "clustered";
    public static final String SEGMENTS = "segments";
    /** Without an explicit nprobe, Chroma's default ef_search of 100 probes Chroma's default of 64 clusters. */
    static final double NPROBE_PER_EF = 0.64;
    static final int MIN_NPROBE = 8;
    /** Chroma's spann defaults (its SpannIndexConfig): what a collection without a spann section is balanced to. */
    public static final int DEFAULT_SPLIT_THRESHOLD = 50;
    public static final int DEFAULT_MERGE_THRESHOLD = 25;
    /**
     * Vectors of a Strata cluster per vector of a Chroma posting list. Chroma's posting lists are small values
     * (25 to 50 vectors by default); a Strata cluster is what one probe reads as a block of its own, so it is
     * sized for a block read (about 256 vectors at 384-d). Both thresholds are scaled by this one factor, chosen
     * so that Chroma's default window [25, 50] becomes [181, 362], centred (geometrically) on 256: a user's
     * thresholds keep their meaning relative to the defaults and to each other.
     */
    public static final double CLUSTER_SCALE = IvfParams.DEFAULT_CLUSTER_SIZE
            / Math.sqrt((double) DEFAULT_SPLIT_THRESHOLD * DEFAULT_MERGE_THRESHOLD);

    /** Parameters with Chroma's default cluster balancing. */
    public VectorParams(Space space, int dimension, int m, int efConstruction, int efSearch, int nprobe) {
        this(space, dimension, m, efConstruction, efSearch, nprobe, DEFAULT_SPLIT_THRESHOLD, DEFAULT_MERGE_THRESHOLD,
                IvfParams.DEFAULT_REASSIGN_NEIGHBORS);
    }

    /** Parameters with the nprobe an hnsw ef_search stands for. */
    public VectorParams(Space space, int dimension, int m, int efConstruction, int efSearch) {
        this(space, dimension, m, efConstruction, efSearch, nprobeFor(efSearch));
    }

    static int nprobeFor(int efSearch) {
        return (int) Math.max(MIN_NPROBE, Math.min(IvfParams.MAX_NPROBE, Math.round(efSearch * NPROBE_PER_EF)));
    }

    /** These parameters with the search-time settings of {@code configured} (which a version may change). */
    public VectorParams withSearch(VectorParams configured) {
        return new VectorParams(space, dimension, m, efConstruction, configured.efSearch(), configured.nprobe(),
                splitThreshold, mergeThreshold, reassignNeighborCount);
    }

    /**
     * The clustered index's parameters: clusters balanced to [merge, split] x {@link #CLUSTER_SCALE} (the lower
     * bound at most half the upper), k-means aiming at their geometric mean.
     */
    public IvfParams ivf() {
        int max = (int) Math.round(splitThreshold * CLUSTER_SCALE);
        int min = Math.max(1, Math.min((int) Math.round(mergeThreshold * CLUSTER_SCALE), max / 2));
        int target = Math.max(Math.max(8, min), Math.min(max, (int) Math.round(Math.sqrt((double) min * max))));
        return new IvfParams(space, dimension, target, nprobe, min, max, reassignNeighborCount);
    }

    public VectorParams {
        if (space == null) {
            throw new IllegalArgumentException("vector space must be given");
        }
        if (dimension < 1 || m < 2 || efConstruction < 1 || efSearch < 1 || nprobe < 1 || nprobe > IvfParams.MAX_NPROBE
                || splitThreshold < 2 || mergeThreshold < 1 || reassignNeighborCount < 0
                || reassignNeighborCount > IvfParams.MAX_REASSIGN_NEIGHBORS) {
            throw new IllegalArgumentException("invalid vector index parameters: dimension " + dimension + ", M " + m
                    + ", ef_construction " + efConstruction + ", ef_search " + efSearch + ", nprobe " + nprobe
                    + ", split_threshold " + splitThreshold + ", merge_threshold " + mergeThreshold
                    + ", reassign_neighbor_count " + reassignNeighborCount);
        }
    }

    public VectorParams withEfSearch(int ef) {
        return new VectorParams(space, dimension, m, efConstruction, ef, nprobe, splitThreshold, mergeThreshold,
                reassignNeighborCount);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("space", space.chromaName());
        out.put("dimension", dimension);
        out.put("M", m);
        out.put("ef_construction", efConstruction);
        out.put("ef_search", efSearch);
        out.put("nprobe", nprobe);
        out.put("split_threshold", splitThreshold);
        out.put("merge_threshold", mergeThreshold);
        out.put("reassign_neighbor_count", reassignNeighborCount);
        return out;
    }

    /** The parameters a manifest stores; a manifest without a vector index has an empty map. */
    public static VectorParams fromMap(Map<String, Object> map) {
        int efSearch = intOf(map, "ef_search", 0);
        return new VectorParams(Space.of(String.valueOf(map.get("space"))), intOf(map, "dimension", 0),
                intOf(map, "M", 0), intOf(map, "ef_construction", 0), efSearch, intOf(map, "nprobe", nprobeFor(efSearch)),
                // Manifests written before clusters were balanced name no thresholds: Chroma's defaults.
                intOf(map, "split_threshold", DEFAULT_SPLIT_THRESHOLD), intOf(map, "merge_threshold", DEFAULT_MERGE_THRESHOLD),
                intOf(map, "reassign_neighbor_count", IvfParams.DEFAULT_REASSIGN_NEIGHBORS));
    }

    /**
     * The parameters for a collection's first index, from its configuration map and metadata (either
     * may be null); unset keys take Chroma's defaults (l2, M 16, ef 100). A spann configuration gives the space,
     * search_nprobe, split_threshold, merge_threshold and reassign_neighbor_count.
     */
    @SuppressWarnings("unchecked")
    public static VectorParams fromCollection(int dimension, Map<String, Object> configuration, Map<String, Object> metadata) {
        Map<String, Object> hnsw = new LinkedHashMap<>();
        if (metadata != null) {
            aliased(metadata, hnsw, "hnsw:space", "space");
            aliased(metadata, hnsw, "hnsw:M", "max_neighbors");
            aliased(metadata, hnsw, "hnsw:construction_ef", "ef_construction");
            aliased(metadata, hnsw, "hnsw:search_ef", "ef_search");
        }
        if (configuration != null && configuration.get("hnsw") instanceof Map<?, ?> explicit) {
            hnsw.putAll((Map<String, Object>) explicit);
        } else if (configuration != null && configuration.get("spann") instanceof Map<?, ?> spann) {
            // A collection created with Chroma's spann section: its space, and its search_nprobe for the
            // clustered index; the spann ef and M (a SPANN index's centroid graph) do not apply here.
            hnsw.clear();
            if (spann.get("space") != null) {
                hnsw.put("space", spann.get("space"));
            }
        }
        Map<String, Object> spann = configuration != null && configuration.get("spann") instanceof Map<?, ?> given
                ? (Map<String, Object>) given : Map.of();
        Object space = hnsw.get("space");
        int efSearch = intOf(hnsw, "ef_search", DEFAULT_EF);
        return new VectorParams(space == null ? Space.L2 : Space.of(space.toString()), dimension,
                intOf(hnsw, "max_neighbors", HnswIndex.DEFAULT_M), intOf(hnsw, "ef_construction", DEFAULT_EF),
                efSearch, intOf(spann, "search_nprobe", nprobeFor(efSearch)),
                intOf(spann, "split_threshold", DEFAULT_SPLIT_THRESHOLD), intOf(spann, "merge_threshold", DEFAULT_MERGE_THRESHOLD),
                intOf(spann, "reassign_neighbor_count", IvfParams.DEFAULT_REASSIGN_NEIGHBORS));
    }

    private static void aliased(Map<String, Object> from, Map<String, Object> to, String key, String name) {
        if (from.get(key) != null) {
            to.put(name, from.get(key));
        }
    }

    private static int intOf(Map<String, Object> map, String key, int fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Math.toIntExact(n.longValue());
        }
        throw new IllegalArgumentException("vector index parameter " + key + " must be an integer, got " + v);
    }
}
