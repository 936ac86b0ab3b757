package dev.strata.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collection's HNSW configuration with Chroma's names and defaults (space l2, ef_construction 100,
 * ef_search 100, max_neighbors 16, num_threads = cores, resize_factor 1.2, sync_threshold 1000,
 * batch_size 100). After creation only ef_search, num_threads, resize_factor, sync_threshold and
 * batch_size may change ({@link ConfigurationUpdate}); space, ef_construction and max_neighbors may not.
 */
public record CollectionConfiguration(
        Space space,
        int efConstruction,
        int efSearch,
        int maxNeighbors,
        int numThreads,
        double resizeFactor,
        int syncThreshold,
        int batchSize) {

    /** Prefix of Chroma's legacy configuration keys in collection metadata (hnsw:space, hnsw:M, ...). */
    public static final String LEGACY_PREFIX = "hnsw:";

    public CollectionConfiguration {
        if (space == null) {
            throw new InvalidArgumentException("HNSW space must not be null");
        }
        atLeast("ef_construction", efConstruction, 1);
        atLeast("ef_search", efSearch, 1);
        atLeast("max_neighbors", maxNeighbors, 2);
        atLeast("num_threads", numThreads, 1);
        atLeast("sync_threshold", syncThreshold, 2);
        atLeast("batch_size", batchSize, 2);
        if (!(resizeFactor >= 1.0) || Double.isInfinite(resizeFactor)) {
            throw new InvalidArgumentException("HNSW resize_factor must be a finite number >= 1, got " + resizeFactor);
        }
    }

    public static CollectionConfiguration defaults() {
        return new CollectionConfiguration(Space.L2, 100, 100, 16, Runtime.getRuntime().availableProcessors(), 1.2, 1000, 100);
    }

    public CollectionConfiguration withSpace(Space space) {
        return new CollectionConfiguration(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    /**
     * From Chroma's JSON configuration: {"hnsw": {"space": "cosine", "ef_construction": 200, ...}}.
     * Unset keys take the defaults; an "embedding_function" entry is accepted and ignored (embedding is
     * the client's business); unknown keys are an error.
     */
    public static CollectionConfiguration fromMap(Map<String, ?> configuration) {
        Map<String, Object> hnsw = new LinkedHashMap<>();
        if (configuration != null) {
            for (Map.Entry<String, ?> e : configuration.entrySet()) {
                switch (e.getKey()) {
                    case "hnsw" -> {
                        if (e.getValue() != null) {
                            hnsw.putAll(asMap("hnsw", e.getValue()));
                        }
                    }
                    case "embedding_function" -> { }
                    default -> throw new InvalidArgumentException("Unsupported collection configuration key \""
                            + e.getKey() + "\"; Strata supports \"hnsw\"");
                }
            }
        }
        return fromHnswKeys(hnsw, Map.of());
    }

    /**
     * The configuration a new collection gets: the explicit one when given, else the legacy
     * hnsw:* keys of its metadata when present, else the defaults.
     */
    public static CollectionConfiguration resolve(CollectionConfiguration explicit, Map<String, ?> metadata) {
        if (explicit != null) {
            return explicit;
        }
        return fromLegacyMetadata(metadata);
    }

    /** From the legacy metadata keys hnsw:space, hnsw:construction_ef, hnsw:search_ef, hnsw:M, ... */
    public static CollectionConfiguration fromLegacyMetadata(Map<String, ?> metadata) {
        Map<String, Object> hnsw = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (k.startsWith(LEGACY_PREFIX)) {
                    hnsw.put(k.substring(LEGACY_PREFIX.length()), v);
                }
            });
        }
        return fromHnswKeys(hnsw, Map.of("construction_ef", "ef_construction", "search_ef", "ef_search", "M", "max_neighbors"));
    }

    private static CollectionConfiguration fromHnswKeys(Map<String, Object> hnsw, Map<String, String> aliases) {
        CollectionConfiguration d = defaults();
        Space space = d.space;
        int efConstruction = d.efConstruction;
        int efSearch = d.efSearch;
        int maxNeighbors = d.maxNeighbors;
        int numThreads = d.numThreads;
        double resizeFactor = d.resizeFactor;
        int syncThreshold = d.syncThreshold;
        int batchSize = d.batchSize;
        for (Map.Entry<String, Object> e : hnsw.entrySet()) {
            String key = aliases.getOrDefault(e.getKey(), e.getKey());
            Object v = e.getValue();
            switch (key) {
                case "space" -> space = Space.fromWireName(v);
                case "ef_construction" -> efConstruction = integer(key, v);
                case "ef_search" -> efSearch = integer(key, v);
                case "max_neighbors" -> maxNeighbors = integer(key, v);
                case "num_threads" -> numThreads = integer(key, v);
                case "resize_factor" -> resizeFactor = number(key, v);
                case "sync_threshold" -> syncThreshold = integer(key, v);
                case "batch_size" -> batchSize = integer(key, v);
                default -> throw new InvalidArgumentException("Unknown HNSW configuration key \"" + e.getKey() + "\"");
            }
        }
        return new CollectionConfiguration(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    /** This configuration with an update applied (the update was checked when it was built). */
    public CollectionConfiguration apply(ConfigurationUpdate u) {
        return new CollectionConfiguration(space, efConstruction,
                u.efSearch() != null ? u.efSearch() : efSearch,
                maxNeighbors,
                u.numThreads() != null ? u.numThreads() : numThreads,
                u.resizeFactor() != null ? u.resizeFactor() : resizeFactor,
                u.syncThreshold() != null ? u.syncThreshold() : syncThreshold,
                u.batchSize() != null ? u.batchSize() : batchSize);
    }

    /** Chroma's JSON shape: {"hnsw": {...}} (num_threads and batch_size are not shown, as in Chroma). */
    public Map<String, Object> toMap() {
        Map<String, Object> hnsw = new LinkedHashMap<>();
        hnsw.put("space", space.wireName());
        hnsw.put("ef_construction", efConstruction);
        hnsw.put("ef_search", efSearch);
        hnsw.put("max_neighbors", maxNeighbors);
        hnsw.put("resize_factor", resizeFactor);
        hnsw.put("sync_threshold", syncThreshold);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hnsw", hnsw);
        return out;
    }

    static int integer(String key, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
        }
        throw new InvalidArgumentException("HNSW " + key + " must be an integer, got " + v);
    }

    static double number(String key, Object v) {
        if (v instanceof Number n && !(v instanceof Double d && d.isNaN())) {
            return n.doubleValue();
        }
        throw new InvalidArgumentException("HNSW " + key + " must be a number, got " + v);
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new InvalidArgumentException("HNSW " + key + " must be >= " + min + ", got " + value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new InvalidArgumentException("Configuration \"" + key + "\" must be an object, got " + v);
    }
}
