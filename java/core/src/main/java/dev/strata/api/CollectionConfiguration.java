package dev.strata.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collection's vector index configuration with Chroma's names and defaults: the HNSW parameters (space l2,
 * ef_construction 100, ef_search 100, max_neighbors 16, num_threads = cores, resize_factor 1.2, sync_threshold 1000,
 * batch_size 100) the index is built with, and, for a collection created with Chroma's {@code spann} section, its
 * {@link SpannConfiguration}, kept and shown instead of the HNSW section. A SPANN collection's HNSW parameters are
 * the defaults with the SPANN space (what a local Chroma server builds for it), so SPANN values never reach the
 * HNSW index. After creation only ef_search, num_threads, resize_factor, sync_threshold and batch_size (HNSW), or
 * search_nprobe and ef_search (SPANN), may change ({@link ConfigurationUpdate}).
 *
 * @param spann the SPANN parameters the collection was created with, or null for an HNSW collection
 */
public record CollectionConfiguration(
        Space space,
        int efConstruction,
        int efSearch,
        int maxNeighbors,
        int numThreads,
        double resizeFactor,
        int syncThreshold,
        int batchSize,
        SpannConfiguration spann) {

    /** Chroma's words for a configuration with both an hnsw and a spann section. */
    static final String BOTH_INDEXES = "Multiple vector index configurations provided: give either hnsw or spann, not both";

    /** Prefix of Chroma's legacy configuration keys in collection metadata (hnsw:space, hnsw:M, ...). */
    public static final String LEGACY_PREFIX = "hnsw:";

    // The ranges Strata accepts (docs/api.md explains each bound). The native index takes M in [2, 10000], but
    // each vector holds 2*M links of 4 bytes at level 0 and M per upper level, and both ef values size a
    // search's candidate queues and the work per insert and per query: past these bounds a value buys no
    // recall and only risks memory and compaction time. The other four do not reach the native layer.
    public static final ConfigField MAX_NEIGHBORS = ConfigField.integer("hnsw", "max_neighbors", 2, 512);
    public static final ConfigField EF_CONSTRUCTION = ConfigField.integer("hnsw", "ef_construction", 1, 10_000);
    public static final ConfigField EF_SEARCH = ConfigField.integer("hnsw", "ef_search", 1, 10_000);
    public static final ConfigField NUM_THREADS = ConfigField.integer("hnsw", "num_threads", 1, 1024);
    public static final ConfigField RESIZE_FACTOR = ConfigField.number("hnsw", "resize_factor", 1.0, 100.0);
    public static final ConfigField SYNC_THRESHOLD = ConfigField.integer("hnsw", "sync_threshold", 2, 100_000_000);
    public static final ConfigField BATCH_SIZE = ConfigField.integer("hnsw", "batch_size", 2, 100_000_000);

    public CollectionConfiguration {
        if (space == null) {
            throw new InvalidArgumentException("HNSW space must not be null");
        }
        EF_CONSTRUCTION.check(null, efConstruction);
        EF_SEARCH.check(null, efSearch);
        MAX_NEIGHBORS.check(null, maxNeighbors);
        NUM_THREADS.check(null, numThreads);
        SYNC_THRESHOLD.check(null, syncThreshold);
        BATCH_SIZE.check(null, batchSize);
        RESIZE_FACTOR.check(null, resizeFactor);
        if (spann != null && spann.space() != space) {
            throw new InvalidArgumentException("The HNSW space must be the SPANN space");
        }
    }

    /** An HNSW collection's configuration. */
    public CollectionConfiguration(Space space, int efConstruction, int efSearch, int maxNeighbors, int numThreads,
                                   double resizeFactor, int syncThreshold, int batchSize) {
        this(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize, null);
    }

    /** A SPANN collection's configuration: these SPANN parameters, and the HNSW defaults in its space. */
    public static CollectionConfiguration ofSpann(SpannConfiguration spann) {
        CollectionConfiguration d = defaults();
        return new CollectionConfiguration(spann.space(), d.efConstruction, d.efSearch, d.maxNeighbors, d.numThreads,
                d.resizeFactor, d.syncThreshold, d.batchSize, spann);
    }

    /** Whether the collection was created with a spann section (and shows one). */
    public boolean isSpann() {
        return spann != null;
    }

    public static CollectionConfiguration defaults() {
        return new CollectionConfiguration(Space.L2, 100, 100, 16, Runtime.getRuntime().availableProcessors(), 1.2, 1000, 100);
    }

    public CollectionConfiguration withSpace(Space space) {
        SpannConfiguration s = spann == null ? null : SpannConfiguration.fromMap(withKey(spann.toStoredMap(), "space", space.wireName()));
        return new CollectionConfiguration(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize, s);
    }

    private static Map<String, Object> withKey(Map<String, Object> m, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put(key, value);
        return out;
    }

    /**
     * From Chroma's JSON configuration: {"hnsw": {"space": "cosine", "ef_construction": 200, ...}} or
     * {"spann": {"search_nprobe": 64, ...}} (not both, as in Chroma). Unset keys take the defaults; an
     * "embedding_function" entry is accepted and ignored here (embedding is the client's business); unknown keys
     * are an error.
     */
    public static CollectionConfiguration fromMap(Map<String, ?> configuration) {
        Map<String, Object> hnsw = new LinkedHashMap<>();
        if (configuration != null && configuration.get("spann") != null) {
            if (configuration.get("hnsw") != null) {
                throw new InvalidArgumentException(BOTH_INDEXES);
            }
            for (String key : configuration.keySet()) {
                if (!key.equals("hnsw") && !key.equals("spann") && !key.equals("embedding_function")) {
                    throw new InvalidArgumentException("Unsupported collection configuration key \"" + key
                            + "\"; Strata supports \"hnsw\" and \"spann\"");
                }
            }
            return ofSpann(SpannConfiguration.fromMap(asMap("spann", configuration.get("spann"))));
        }
        if (configuration != null) {
            for (Map.Entry<String, ?> e : configuration.entrySet()) {
                switch (e.getKey()) {
                    case "hnsw" -> {
                        if (e.getValue() != null) {
                            hnsw.putAll(asMap("hnsw", e.getValue()));
                        }
                    }
                    case "embedding_function", "spann" -> { }
                    default -> throw new InvalidArgumentException("Unsupported collection configuration key \""
                            + e.getKey() + "\"; Strata supports \"hnsw\" and \"spann\"");
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
            String given = key.equals(e.getKey()) ? null : LEGACY_PREFIX + e.getKey();
            switch (key) {
                case "space" -> space = Space.fromWireName(v);
                case "ef_construction" -> efConstruction = EF_CONSTRUCTION.intValue(given, v);
                case "ef_search" -> efSearch = EF_SEARCH.intValue(given, v);
                case "max_neighbors" -> maxNeighbors = MAX_NEIGHBORS.intValue(given, v);
                case "num_threads" -> numThreads = NUM_THREADS.intValue(given, v);
                case "resize_factor" -> resizeFactor = RESIZE_FACTOR.doubleValue(given, v);
                case "sync_threshold" -> syncThreshold = SYNC_THRESHOLD.intValue(given, v);
                case "batch_size" -> batchSize = BATCH_SIZE.intValue(given, v);
                default -> throw new InvalidArgumentException("Unknown HNSW configuration key \"" + e.getKey() + "\"");
            }
        }
        return new CollectionConfiguration(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    /**
     * This configuration with an update applied (the update was checked when it was built).
     *
     * @throws InvalidArgumentException for SPANN parameters on an HNSW collection or the reverse (Chroma ignores
     *                                  them; Strata says so rather than answer 200 and change nothing)
     */
    public CollectionConfiguration apply(ConfigurationUpdate u) {
        if (spann != null && u.touchesHnsw()) {
            throw new InvalidArgumentException("This collection uses a spann index configuration: modify its spann"
                    + " search_nprobe or ef_search, not hnsw parameters");
        }
        if (spann == null && u.touchesSpann()) {
            throw new InvalidArgumentException("This collection uses an hnsw index configuration: modify its hnsw"
                    + " parameters, not spann ones");
        }
        if (spann != null) {
            return new CollectionConfiguration(space, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor,
                    syncThreshold, batchSize, spann.withSearch(u.spannSearchNprobe(), u.spannEfSearch()));
        }
        return new CollectionConfiguration(space, efConstruction,
                u.efSearch() != null ? u.efSearch() : efSearch,
                maxNeighbors,
                u.numThreads() != null ? u.numThreads() : numThreads,
                u.resizeFactor() != null ? u.resizeFactor() : resizeFactor,
                u.syncThreshold() != null ? u.syncThreshold() : syncThreshold,
                u.batchSize() != null ? u.batchSize() : batchSize);
    }

    /**
     * Chroma's JSON shape: {"hnsw": {...}} (num_threads and batch_size are not shown, as in Chroma), or
     * {"spann": {...}} for a SPANN collection ({@link SpannConfiguration#toMap()}).
     */
    public Map<String, Object> toMap() {
        if (spann != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("spann", spann.toMap());
            return out;
        }
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new InvalidArgumentException("Configuration \"" + key + "\" must be an object, got " + v);
    }
}
