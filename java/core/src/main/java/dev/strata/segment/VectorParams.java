package dev.strata.segment;

import dev.strata.ivf.IvfParams;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a version's vector index, as stored in {@link VersionManifest#vector()}. Read from
 * the collection's configuration ({@code {"hnsw": {...}}}, or only the space of {@code {"spann": {...}}}) or
 * Chroma's legacy {@code hnsw:*} metadata keys when the first index is built, then carried from version to version.
 */
public record VectorParams(Space space, int dimension, int m, int efConstruction, int efSearch, int nprobe) {

    public static final int DEFAULT_EF = 100;
    /** Manifest keys of the clustered index: its kind and its segment ids, oldest first. */
    public static final String INDEX = "index";
    public static final String CLUSTERED = "clustered";
    public static final String SEGMENTS = "segments";
    /** Without an explicit nprobe, Chroma's default ef_search of 100 probes Chroma's default of 64 clusters. */
    static final double NPROBE_PER_EF = 0.64;
    static final int MIN_NPROBE = 8;

    /** Parameters with the nprobe an hnsw ef_search stands for. */
    public VectorParams(Space space, int dimension, int m, int efConstruction, int efSearch) {
        this(space, dimension, m, efConstruction, efSearch, nprobeFor(efSearch));
    }

    static int nprobeFor(int efSearch) {
        return (int) Math.max(MIN_NPROBE, Math.min(IvfParams.MAX_NPROBE, Math.round(efSearch * NPROBE_PER_EF)));
    }

    /** These parameters with the search-time settings of {@code configured} (which a version may change). */
    public VectorParams withSearch(VectorParams configured) {
        return new VectorParams(space, dimension, m, efConstruction, configured.efSearch(), configured.nprobe());
    }

    /** The clustered index's parameters. */
    public IvfParams ivf() {
        return new IvfParams(space, dimension, IvfParams.DEFAULT_CLUSTER_SIZE, nprobe);
    }

    public VectorParams {
        if (space == null) {
            throw new IllegalArgumentException("vector space must be given");
        }
        if (dimension < 1 || m < 2 || efConstruction < 1 || efSearch < 1 || nprobe < 1 || nprobe > IvfParams.MAX_NPROBE) {
            throw new IllegalArgumentException("invalid vector index parameters: dimension " + dimension + ", M " + m
                    + ", ef_construction " + efConstruction + ", ef_search " + efSearch + ", nprobe " + nprobe);
        }
    }

    public VectorParams withEfSearch(int ef) {
        return new VectorParams(space, dimension, m, efConstruction, ef, nprobe);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("space", space.chromaName());
        out.put("dimension", dimension);
        out.put("M", m);
        out.put("ef_construction", efConstruction);
        out.put("ef_search", efSearch);
        out.put("nprobe", nprobe);
        return out;
    }

    /** The parameters a manifest stores; a manifest without a vector index has an empty map. */
    public static VectorParams fromMap(Map<String, Object> map) {
        int efSearch = intOf(map, "ef_search", 0);
        return new VectorParams(Space.of(String.valueOf(map.get("space"))), intOf(map, "dimension", 0),
                intOf(map, "M", 0), intOf(map, "ef_construction", 0), efSearch, intOf(map, "nprobe", nprobeFor(efSearch)));
    }

    /**
     * The parameters for a collection's first index, from its configuration map and metadata (either
     * may be null); unset keys take Chroma's defaults (l2, M 16, ef 100). A spann configuration gives only the space.
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
                efSearch, intOf(spann, "search_nprobe", nprobeFor(efSearch)));
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
