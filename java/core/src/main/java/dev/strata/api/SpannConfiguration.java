package dev.strata.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collection's SPANN configuration with Chroma's names, defaults and ranges (Chroma's {@code SpannIndexConfig}):
 * the parameters a SPANN index (posting lists of vectors around centers found by k-means, the centers in an HNSW
 * graph) would be built and searched with. Strata keeps them with the collection; its clustered index takes the
 * space, search_nprobe, and split_threshold, merge_threshold and reassign_neighbor_count as the bounds its clusters
 * are balanced to (scaled to Strata's larger clusters: docs/segments.md, "Cluster balance"). The other fields are
 * kept and echoed only.
 *
 * <p>Ranges are Chroma's, except that Strata asks for at least 1 (2 for max_neighbors) where Chroma takes 0,
 * a value that would build no usable index. The rng factors and initial_lambda are pinned by Chroma to one value.
 * After creation only search_nprobe and ef_search may change ({@link ConfigurationUpdate}).
 *
 * @param centerDriftThreshold null when not given (Chroma then does not show it); see
 *                             {@link #effectiveCenterDriftThreshold()}
 */
public record SpannConfiguration(
        Space space,
        int searchNprobe,
        double searchRngFactor,
        double searchRngEpsilon,
        int nreplicaCount,
        double writeRngFactor,
        double writeRngEpsilon,
        int splitThreshold,
        int numSamplesKmeans,
        double initialLambda,
        int reassignNeighborCount,
        int mergeThreshold,
        int numCentersToMergeTo,
        int writeNprobe,
        int efConstruction,
        int efSearch,
        int maxNeighbors,
        Double centerDriftThreshold) {

    private static final String S = "spann";

    public static final ConfigField SEARCH_NPROBE = ConfigField.integer(S, "search_nprobe", 1, 128);
    public static final ConfigField SEARCH_RNG_FACTOR = ConfigField.number(S, "search_rng_factor", 1.0, 1.0);
    public static final ConfigField SEARCH_RNG_EPSILON = ConfigField.number(S, "search_rng_epsilon", 5.0, 10.0);
    public static final ConfigField NREPLICA_COUNT = ConfigField.integer(S, "nreplica_count", 1, 8);
    public static final ConfigField WRITE_RNG_FACTOR = ConfigField.number(S, "write_rng_factor", 1.0, 1.0);
    public static final ConfigField WRITE_RNG_EPSILON = ConfigField.number(S, "write_rng_epsilon", 5.0, 10.0);
    public static final ConfigField SPLIT_THRESHOLD = ConfigField.integer(S, "split_threshold", 50, 200);
    public static final ConfigField NUM_SAMPLES_KMEANS = ConfigField.integer(S, "num_samples_kmeans", 1, 1000);
    public static final ConfigField INITIAL_LAMBDA = ConfigField.number(S, "initial_lambda", 100.0, 100.0);
    public static final ConfigField REASSIGN_NEIGHBOR_COUNT = ConfigField.integer(S, "reassign_neighbor_count", 0, 64);
    public static final ConfigField MERGE_THRESHOLD = ConfigField.integer(S, "merge_threshold", 25, 100);
    public static final ConfigField NUM_CENTERS_TO_MERGE_TO = ConfigField.integer(S, "num_centers_to_merge_to", 1, 8);
    public static final ConfigField WRITE_NPROBE = ConfigField.integer(S, "write_nprobe", 1, 64);
    public static final ConfigField EF_CONSTRUCTION = ConfigField.integer(S, "ef_construction", 1, 200);
    public static final ConfigField EF_SEARCH = ConfigField.integer(S, "ef_search", 1, 200);
    public static final ConfigField MAX_NEIGHBORS = ConfigField.integer(S, "max_neighbors", 2, 64);
    public static final ConfigField CENTER_DRIFT_THRESHOLD = ConfigField.number(S, "center_drift_threshold", 0.1, 1.0);

    /** Chroma's default center_drift_threshold, used when none was given. */
    public static final double DEFAULT_CENTER_DRIFT_THRESHOLD = 0.125;

    public SpannConfiguration {
        if (space == null) {
            throw new InvalidArgumentException("SPANN space must not be null");
        }
        SEARCH_NPROBE.check(null, searchNprobe);
        SEARCH_RNG_FACTOR.check(null, searchRngFactor);
        SEARCH_RNG_EPSILON.check(null, searchRngEpsilon);
        NREPLICA_COUNT.check(null, nreplicaCount);
        WRITE_RNG_FACTOR.check(null, writeRngFactor);
        WRITE_RNG_EPSILON.check(null, writeRngEpsilon);
        SPLIT_THRESHOLD.check(null, splitThreshold);
        NUM_SAMPLES_KMEANS.check(null, numSamplesKmeans);
        INITIAL_LAMBDA.check(null, initialLambda);
        REASSIGN_NEIGHBOR_COUNT.check(null, reassignNeighborCount);
        MERGE_THRESHOLD.check(null, mergeThreshold);
        NUM_CENTERS_TO_MERGE_TO.check(null, numCentersToMergeTo);
        WRITE_NPROBE.check(null, writeNprobe);
        EF_CONSTRUCTION.check(null, efConstruction);
        EF_SEARCH.check(null, efSearch);
        MAX_NEIGHBORS.check(null, maxNeighbors);
        if (centerDriftThreshold != null) {
            CENTER_DRIFT_THRESHOLD.check(null, centerDriftThreshold);
        }
    }

    /** Chroma's defaults: space l2, search_nprobe 64, write_nprobe 32, ef 200/200, max_neighbors 64, split 50, merge 25, ... */
    public static SpannConfiguration defaults() {
        return new SpannConfiguration(Space.L2, 64, 1.0, 10.0, 8, 1.0, 5.0, 50, 1000, 100.0, 64, 25, 8, 32, 200, 200, 64, null);
    }

    public double effectiveCenterDriftThreshold() {
        return centerDriftThreshold == null ? DEFAULT_CENTER_DRIFT_THRESHOLD : centerDriftThreshold;
    }

    /**
     * From Chroma's JSON {"space": "cosine", "search_nprobe": 32, ...}: unset keys take the defaults, null values
     * count as unset, an unknown key is an error, and every value is range-checked naming its field.
     */
    public static SpannConfiguration fromMap(Map<String, ?> json) {
        SpannConfiguration d = defaults();
        Space space = d.space;
        int searchNprobe = d.searchNprobe;
        double searchRngFactor = d.searchRngFactor;
        double searchRngEpsilon = d.searchRngEpsilon;
        int nreplicaCount = d.nreplicaCount;
        double writeRngFactor = d.writeRngFactor;
        double writeRngEpsilon = d.writeRngEpsilon;
        int splitThreshold = d.splitThreshold;
        int numSamplesKmeans = d.numSamplesKmeans;
        double initialLambda = d.initialLambda;
        int reassignNeighborCount = d.reassignNeighborCount;
        int mergeThreshold = d.mergeThreshold;
        int numCentersToMergeTo = d.numCentersToMergeTo;
        int writeNprobe = d.writeNprobe;
        int efConstruction = d.efConstruction;
        int efSearch = d.efSearch;
        int maxNeighbors = d.maxNeighbors;
        Double centerDriftThreshold = null;
        for (Map.Entry<String, ?> e : (json == null ? Map.<String, Object>of() : json).entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue; // Chroma's Option fields: null is "not given"
            }
            switch (e.getKey()) {
                case "space" -> space = Space.fromWireName(v);
                case "search_nprobe" -> searchNprobe = SEARCH_NPROBE.intValue(null, v);
                case "search_rng_factor" -> searchRngFactor = SEARCH_RNG_FACTOR.doubleValue(null, v);
                case "search_rng_epsilon" -> searchRngEpsilon = SEARCH_RNG_EPSILON.doubleValue(null, v);
                case "nreplica_count" -> nreplicaCount = NREPLICA_COUNT.intValue(null, v);
                case "write_rng_factor" -> writeRngFactor = WRITE_RNG_FACTOR.doubleValue(null, v);
                case "write_rng_epsilon" -> writeRngEpsilon = WRITE_RNG_EPSILON.doubleValue(null, v);
                case "split_threshold" -> splitThreshold = SPLIT_THRESHOLD.intValue(null, v);
                case "num_samples_kmeans" -> numSamplesKmeans = NUM_SAMPLES_KMEANS.intValue(null, v);
                case "initial_lambda" -> initialLambda = INITIAL_LAMBDA.doubleValue(null, v);
                case "reassign_neighbor_count" -> reassignNeighborCount = REASSIGN_NEIGHBOR_COUNT.intValue(null, v);
                case "merge_threshold" -> mergeThreshold = MERGE_THRESHOLD.intValue(null, v);
                case "num_centers_to_merge_to" -> numCentersToMergeTo = NUM_CENTERS_TO_MERGE_TO.intValue(null, v);
                case "write_nprobe" -> writeNprobe = WRITE_NPROBE.intValue(null, v);
                case "ef_construction" -> efConstruction = EF_CONSTRUCTION.intValue(null, v);
                case "ef_search" -> efSearch = EF_SEARCH.intValue(null, v);
                case "max_neighbors" -> maxNeighbors = MAX_NEIGHBORS.intValue(null, v);
                case "center_drift_threshold" -> centerDriftThreshold = CENTER_DRIFT_THRESHOLD.doubleValue(null, v);
                case "quantize" -> {
                    // Chroma sets quantization itself (a cloud feature) and refuses any other value from users.
                    if (!"none".equals(v)) {
                        throw new InvalidArgumentException("Invalid collection configuration: spann.quantize cannot be set;"
                                + " Strata does not quantize SPANN indexes");
                    }
                }
                default -> throw new InvalidArgumentException("Unknown SPANN configuration key \"" + e.getKey() + "\"");
            }
        }
        return new SpannConfiguration(space, searchNprobe, searchRngFactor, searchRngEpsilon, nreplicaCount, writeRngFactor,
                writeRngEpsilon, splitThreshold, numSamplesKmeans, initialLambda, reassignNeighborCount, mergeThreshold,
                numCentersToMergeTo, writeNprobe, efConstruction, efSearch, maxNeighbors, centerDriftThreshold);
    }

    /** This configuration with Chroma's updatable fields changed (null = unchanged); both were range-checked. */
    public SpannConfiguration withSearch(Integer newSearchNprobe, Integer newEfSearch) {
        return new SpannConfiguration(space, newSearchNprobe != null ? newSearchNprobe : searchNprobe, searchRngFactor,
                searchRngEpsilon, nreplicaCount, writeRngFactor, writeRngEpsilon, splitThreshold, numSamplesKmeans,
                initialLambda, reassignNeighborCount, mergeThreshold, numCentersToMergeTo, writeNprobe, efConstruction,
                newEfSearch != null ? newEfSearch : efSearch, maxNeighbors, centerDriftThreshold);
    }

    /**
     * What configuration_json.spann shows, in Chroma's order: the nine fields of Chroma's public SpannConfiguration
     * (the others are shown by the schema, {@link #toIndexConfigMap()}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search_nprobe", searchNprobe);
        m.put("write_nprobe", writeNprobe);
        m.put("space", space.wireName());
        m.put("ef_construction", efConstruction);
        m.put("ef_search", efSearch);
        m.put("max_neighbors", maxNeighbors);
        m.put("reassign_neighbor_count", reassignNeighborCount);
        m.put("split_threshold", splitThreshold);
        m.put("merge_threshold", mergeThreshold);
        return m;
    }

    /**
     * Every field but the space, in the order of Chroma's SpannIndexConfig: what the schema's
     * vector_index.config.spann shows (the space sits beside it) and, with the space, what the catalog keeps.
     */
    public Map<String, Object> toIndexConfigMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search_nprobe", searchNprobe);
        m.put("search_rng_factor", searchRngFactor);
        m.put("search_rng_epsilon", searchRngEpsilon);
        m.put("nreplica_count", nreplicaCount);
        m.put("write_rng_factor", writeRngFactor);
        m.put("write_rng_epsilon", writeRngEpsilon);
        m.put("split_threshold", splitThreshold);
        m.put("num_samples_kmeans", numSamplesKmeans);
        m.put("initial_lambda", initialLambda);
        m.put("reassign_neighbor_count", reassignNeighborCount);
        m.put("merge_threshold", mergeThreshold);
        m.put("num_centers_to_merge_to", numCentersToMergeTo);
        m.put("write_nprobe", writeNprobe);
        m.put("ef_construction", efConstruction);
        m.put("ef_search", efSearch);
        m.put("max_neighbors", maxNeighbors);
        if (centerDriftThreshold != null) {
            m.put("center_drift_threshold", centerDriftThreshold);
        }
        return m;
    }

    /** Everything, space first: what the catalog keeps, read back by {@link #fromMap}. */
    public Map<String, Object> toStoredMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("space", space.wireName());
        m.putAll(toIndexConfigMap());
        return m;
    }
}
