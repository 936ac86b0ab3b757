package dev.strata.api;

import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One collection's records. Writes are validated whole (nothing of a bad batch is logged), durable
 * when they return, and visible to the next read. Semantics follow Chroma: add of an existing id is
 * ignored, update of a missing id is ignored, upsert inserts or updates, update/upsert merge metadata
 * key by key (a null value deletes a key).
 */
public interface Collection {

    UUID id();

    String name();

    String tenant();

    String database();

    /** The collection's metadata, or null when it has none. */
    Map<String, Object> metadata();

    CollectionConfiguration configuration();

    /** The embedding function the client created the collection with (stored, never run), or null. */
    EmbeddingFunctionConfig embeddingFunction();

    /** The collection's indexes in Chroma's schema shape (Chroma's defaults unless it was created with a schema). */
    CollectionSchema schema();

    /** The embedding dimension, fixed by the first embedding written; empty while none was. */
    OptionalInt dimension();

    /** Embeddings are required for every record. */
    void add(RecordSet records);

    /** Embeddings are required for every record. */
    void upsert(RecordSet records);

    /** Any field may be absent, for the whole batch or per record (keep the stored value). */
    void update(RecordSet records);

    /** @return the number of records deleted */
    int delete(DeleteRequest request);

    GetResult get(GetRequest request);

    QueryResult query(QueryRequest request);

    int count();

    /** The first limit records in insertion order, with embeddings, documents and metadatas. */
    GetResult peek(int limit);

    /**
     * Renames, replaces the metadata of, and/or reconfigures the collection; a null argument leaves
     * that part unchanged.
     *
     * @throws AlreadyExistsException if newName is taken by another collection
     * @throws InvalidArgumentException for a bad name or a non-updatable configuration field
     */
    default void modify(String newName, Map<String, Object> newMetadata, ConfigurationUpdate configuration) {
        modify(newName, newMetadata, configuration, null);
    }

    /** As {@link #modify(String, Map, ConfigurationUpdate)}, also replacing the embedding function when not null. */
    void modify(String newName, Map<String, Object> newMetadata, ConfigurationUpdate configuration,
                EmbeddingFunctionConfig embeddingFunction);

    /**
     * A new collection in the same database with this one's records, metadata and configuration as they are now,
     * which then diverges: a catalog operation, the two share every stored object of the version forked.
     *
     * @throws AlreadyExistsException if newName is taken
     */
    Collection fork(String newName);

    /** How many forks the lineage this collection belongs to has (forks of forks included), as Chroma counts them. */
    int forkCount();

    /** The compaction backlog: records compacted, record operations logged since. */
    IndexingStatus indexingStatus();

    /** Compacts the collection's log now rather than waiting for the background threshold. */
    void compact();
}
