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
    default Collection createCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration) {
        return createCollection(name, CollectionSpec.of(metadata, configuration));
    }

    /**
     * Creates a collection with metadata, configuration, embedding function and schema.
     *
     * @throws AlreadyExistsException if a collection of that name exists
     * @throws InvalidArgumentException for a bad name, metadata, configuration or schema, or a configuration and a
     *                                  schema that both set the vector index
     */
    Collection createCollection(String name, CollectionSpec spec);

    /** @throws NotFoundException if there is no collection of that name */
    Collection getCollection(String name);

    /**
     * The collection with this id in this database (what Chroma's record routes name a collection by), found
     * directly by its id rather than among the database's collections. A collection of another database or tenant
     * is not found here, as if it did not exist.
     *
     * @throws NotFoundException if no collection of this database has that id, or the database no longer exists
     */
    Collection getCollection(UUID id);

    /**
     * The existing collection of that name (metadata and configuration are then ignored, as in
     * Chroma), or a new one created with them.
     */
    default Collection getOrCreateCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration) {
        return getOrCreateCollection(name, CollectionSpec.of(metadata, configuration));
    }

    /** The existing collection of that name (the spec is then ignored, as in Chroma), or a new one made from it. */
    Collection getOrCreateCollection(String name, CollectionSpec spec);

    /** Collections in creation order; limit null = all. */
    List<Collection> listCollections(Integer limit, int offset);

    int countCollections();

    /** @throws NotFoundException if there is no collection of that name */
    void deleteCollection(String name);
}
