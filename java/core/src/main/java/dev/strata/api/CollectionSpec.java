package dev.strata.api;

import java.util.Map;

/**
 * Everything a new collection is created with besides its name.
 *
 * @param metadata          the collection's metadata; null for none
 * @param configuration     the vector index configuration; null: the schema's, else the legacy hnsw:* metadata
 *                          keys, else the defaults ({@link CollectionConfiguration#resolve})
 * @param embeddingFunction the client's embedding function, stored and given back; null: the schema's, else none
 * @param schema            the indexes; null: Chroma's defaults
 */
public record CollectionSpec(Map<String, Object> metadata, CollectionConfiguration configuration,
                             EmbeddingFunctionConfig embeddingFunction, CollectionSchema schema) {

    public static CollectionSpec of(Map<String, Object> metadata, CollectionConfiguration configuration) {
        return new CollectionSpec(metadata, configuration, null, null);
    }
}
