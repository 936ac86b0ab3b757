package dev.strata.api;

import java.util.Map;

/**
 * The configuration fields that Chroma lets modify() change after creation; null = unchanged.
 * Changing space, ef_construction or max_neighbors would need a new index and is refused. Each value is
 * range-checked here, as at creation ({@link CollectionConfiguration}'s fields), before anything is written.
 */
public record ConfigurationUpdate(
        Integer efSearch, Integer numThreads, Double resizeFactor, Integer syncThreshold, Integer batchSize) {

    public ConfigurationUpdate {
        check(CollectionConfiguration.EF_SEARCH, efSearch);
        check(CollectionConfiguration.NUM_THREADS, numThreads);
        check(CollectionConfiguration.RESIZE_FACTOR, resizeFactor);
        check(CollectionConfiguration.SYNC_THRESHOLD, syncThreshold);
        check(CollectionConfiguration.BATCH_SIZE, batchSize);
    }

    private static void check(ConfigField field, Number value) {
        if (value != null) {
            field.check(null, value.doubleValue());
        }
    }

    public static ConfigurationUpdate efSearch(int efSearch) {
        return new ConfigurationUpdate(efSearch, null, null, null, null);
    }

    /** From Chroma's JSON shape {"hnsw": {"ef_search": 200}}; a non-updatable key is an error. */
    public static ConfigurationUpdate fromMap(Map<String, ?> update) {
        Integer efSearch = null;
        Integer numThreads = null;
        Double resizeFactor = null;
        Integer syncThreshold = null;
        Integer batchSize = null;
        for (Map.Entry<String, ?> top : update.entrySet()) {
            if (top.getKey().equals("embedding_function")) {
                continue;
            }
            if (!top.getKey().equals("hnsw")) {
                throw new InvalidArgumentException("Unsupported collection configuration key \"" + top.getKey() + "\"");
            }
            if (top.getValue() == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : CollectionConfiguration.asMap("hnsw", top.getValue()).entrySet()) {
                String key = e.getKey();
                Object v = e.getValue();
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
        return new ConfigurationUpdate(efSearch, numThreads, resizeFactor, syncThreshold, batchSize);
    }
}
