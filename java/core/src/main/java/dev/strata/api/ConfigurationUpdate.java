package dev.strata.api;

import java.util.Map;

/**
 * The configuration fields that Chroma lets modify() change after creation; null = unchanged. For an HNSW collection:
 * ef_search, num_threads, resize_factor, sync_threshold, batch_size; for a SPANN one (Chroma's
 * UpdateSpannConfiguration): search_nprobe and ef_search. Changing the space, ef_construction, max_neighbors or any
 * other SPANN field would need a new index and is refused. Each value is range-checked here, as at creation
 * ({@link CollectionConfiguration}'s and {@link SpannConfiguration}'s fields), before anything is written.
 */
public record ConfigurationUpdate(
        Integer efSearch, Integer numThreads, Double resizeFactor, Integer syncThreshold, Integer batchSize,
        Integer spannSearchNprobe, Integer spannEfSearch) {

    public ConfigurationUpdate {
        check(CollectionConfiguration.EF_SEARCH, efSearch);
        check(CollectionConfiguration.NUM_THREADS, numThreads);
        check(CollectionConfiguration.RESIZE_FACTOR, resizeFactor);
        check(CollectionConfiguration.SYNC_THRESHOLD, syncThreshold);
        check(CollectionConfiguration.BATCH_SIZE, batchSize);
        check(SpannConfiguration.SEARCH_NPROBE, spannSearchNprobe);
        check(SpannConfiguration.EF_SEARCH, spannEfSearch);
        if (touchesHnsw() && touchesSpann()) {
            throw new InvalidArgumentException(CollectionConfiguration.BOTH_INDEXES);
        }
    }

    /** An update of HNSW parameters only. */
    public ConfigurationUpdate(Integer efSearch, Integer numThreads, Double resizeFactor, Integer syncThreshold,
                               Integer batchSize) {
        this(efSearch, numThreads, resizeFactor, syncThreshold, batchSize, null, null);
    }

    private static void check(ConfigField field, Number value) {
        if (value != null) {
            field.check(null, value.doubleValue());
        }
    }

    public static ConfigurationUpdate efSearch(int efSearch) {
        return new ConfigurationUpdate(efSearch, null, null, null, null);
    }

    /** An update of a SPANN collection's search parameters (null = unchanged). */
    public static ConfigurationUpdate spann(Integer searchNprobe, Integer efSearch) {
        return new ConfigurationUpdate(null, null, null, null, null, searchNprobe, efSearch);
    }

    /** Whether this changes an HNSW parameter. */
    public boolean touchesHnsw() {
        return efSearch != null || numThreads != null || resizeFactor != null || syncThreshold != null || batchSize != null;
    }

    /** Whether this changes a SPANN parameter. */
    public boolean touchesSpann() {
        return spannSearchNprobe != null || spannEfSearch != null;
    }

    /**
     * From Chroma's JSON shape {"hnsw": {"ef_search": 200}} or {"spann": {"search_nprobe": 32}}; both sections, or a
     * key that cannot change, is an error.
     */
    public static ConfigurationUpdate fromMap(Map<String, ?> update) {
        Integer efSearch = null;
        Integer numThreads = null;
        Double resizeFactor = null;
        Integer syncThreshold = null;
        Integer batchSize = null;
        Integer searchNprobe = null;
        Integer spannEfSearch = null;
        if (update.get("hnsw") != null && update.get("spann") != null) {
            throw new InvalidArgumentException(CollectionConfiguration.BOTH_INDEXES);
        }
        for (Map.Entry<String, ?> top : update.entrySet()) {
            if (top.getKey().equals("embedding_function")) {
                continue;
            }
            if (!top.getKey().equals("hnsw") && !top.getKey().equals("spann")) {
                throw new InvalidArgumentException("Unsupported collection configuration key \"" + top.getKey()
                        + "\"; expected hnsw, spann or embedding_function");
            }
            if (top.getValue() == null) {
                continue;
            }
            boolean spann = top.getKey().equals("spann");
            for (Map.Entry<String, Object> e : CollectionConfiguration.asMap(top.getKey(), top.getValue()).entrySet()) {
                String key = e.getKey();
                Object v = e.getValue();
                if (spann) {
                    switch (key) {
                        case "search_nprobe" -> searchNprobe = SpannConfiguration.SEARCH_NPROBE.intValue(null, v);
                        case "ef_search" -> spannEfSearch = SpannConfiguration.EF_SEARCH.intValue(null, v);
                        default -> throw new InvalidArgumentException("SPANN " + key + " cannot be changed after the"
                                + " collection is created; only search_nprobe and ef_search can");
                    }
                    continue;
                }
                switch (key) {
                    case "ef_search" -> efSearch = CollectionConfiguration.EF_SEARCH.intValue(null, v);
                    case "num_threads" -> numThreads = CollectionConfiguration.NUM_THREADS.intValue(null, v);
                    case "resize_factor" -> resizeFactor = CollectionConfiguration.RESIZE_FACTOR.doubleValue(null, v);
                    case "sync_threshold" -> syncThreshold = CollectionConfiguration.SYNC_THRESHOLD.intValue(null, v);
                    case "batch_size" -> batchSize = CollectionConfiguration.BATCH_SIZE.intValue(null, v);
                    case "space", "ef_construction", "max_neighbors" -> throw new InvalidArgumentException(
                            "HNSW " + key + " cannot be changed after the collection is created");
                    default -> throw new InvalidArgumentException("Unknown HNSW configuration key \"" + key + "\"");
                }
            }
        }
        return new ConfigurationUpdate(efSearch, numThreads, resizeFactor, syncThreshold, batchSize, searchNprobe,
                spannEfSearch);
    }
}
