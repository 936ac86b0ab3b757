package dev.strata.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A database: a namespace of collections inside a tenant. */
public interface Database {

    UUID id();

    String tenant();

    String name();

    /**
     * Creates a collection. Configuration null means: the legacy hnsw:* keys of metadata when present,
     * else the defaults ({@link CollectionConfiguration#resolve}). Metadata null means none.
     *
     * @throws AlreadyExistsException if a collection of that name exists
     * @throws InvalidArgumentException for a bad name, metadata or configuration
     */
    Collection createCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration);

    /** @throws NotFoundException if there is no collection of that name */
    Collection getCollection(String name);

    /**
     * The existing collection of that name (metadata and configuration are then ignored, as in
     * Chroma), or a new one created with them.
     */
    Collection getOrCreateCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration);

    /** Collections in creation order; limit null = all. */
    List<Collection> listCollections(Integer limit, int offset);

    int countCollections();

    /** @throws NotFoundException if there is no collection of that name */
    void deleteCollection(String name);
}
