package dev.strata.engine;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.CollectionSchema;
import dev.strata.api.CollectionSpec;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.Database;
import dev.strata.api.NotFoundException;
import dev.strata.api.Validator;
import dev.strata.catalog.CollectionRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A database handle: collection management through the catalog. */
final class EmbeddedDatabase implements Database {

    private final EmbeddedStrata strata;
    private final dev.strata.catalog.Database database;

    EmbeddedDatabase(EmbeddedStrata strata, dev.strata.catalog.Database database) {
        this.strata = strata;
        this.database = database;
    }

    @Override
    public UUID id() {
        return database.id();
    }

    @Override
    public String tenant() {
        return database.tenant();
    }

    @Override
    public String name() {
        return database.name();
    }

    @Override
    public Collection createCollection(String name, CollectionSpec spec) {
        return create(name, spec, false);
    }

    @Override
    public Collection getCollection(String name) {
        return Errors.call(() -> handle(strata.catalog().getCollection(tenant(), name(), name)));
    }

    /** Looked up by id in the catalog (no scan of the database's collections, as a record route needs). */
    @Override
    public Collection getCollection(UUID id) {
        CollectionRecord record;
        try {
            record = Errors.call(() -> strata.catalog().getCollection(id));
        } catch (NotFoundException e) {
            record = null;
        }
        if (record == null || !record.tenant().equals(tenant()) || !record.database().equals(name())) {
            // Also when the id belongs to another database: a caller learns nothing about other databases.
            Errors.call(() -> strata.catalog().listCollections(tenant(), name(), 0, 0)); // a missing database is its own 404
            throw new NotFoundException("Collection " + id + " does not exist");
        }
        return handle(record);
    }

    @Override
    public Collection getOrCreateCollection(String name, CollectionSpec spec) {
        return create(name, spec, true);
    }

    @Override
    public List<Collection> listCollections(Integer limit, int offset) {
        if (offset < 0 || (limit != null && limit < 0)) {
            throw new dev.strata.api.InvalidArgumentException("limit and offset must be non-negative, got limit "
                    + limit + " and offset " + offset);
        }
        return Errors.call(() -> strata.catalog().listCollections(tenant(), name(),
                limit == null ? Integer.MAX_VALUE : limit, offset).stream().map(this::handle).toList());
    }

    @Override
    public int countCollections() {
        return Errors.call(() -> strata.catalog().countCollections(tenant(), name()));
    }

    @Override
    public void deleteCollection(String name) {
        strata.checkWriter();
        Errors.run(() -> {
            CollectionRecord dropped = strata.catalog().deleteCollection(tenant(), name(), name);
            strata.dropRuntime(dropped.id());
        });
    }

    private Collection create(String name, CollectionSpec spec, boolean getIfExists) {
        if (strata.isReadOnly() && getIfExists) {
            // Clients call get_or_create to get a collection: a read-only node has the existing one to give.
            try {
                return getCollection(name);
            } catch (NotFoundException absent) {
                // only the writer can create it
            }
        }
        strata.checkWriter();
        Validator.validateCollectionName(name);
        Map<String, Object> canonical = Validator.validateCollectionMetadata(spec.metadata());
        Map<String, Object> stored = stored(spec, canonical);
        return Errors.call(() -> handle(getIfExists
                ? strata.catalog().getOrCreateCollection(tenant(), name(), name, canonical, stored, null)
                : strata.catalog().createCollection(tenant(), name(), name, canonical, stored, null)));
    }

    /**
     * The configuration the catalog keeps for a new collection. The vector index comes from the configuration,
     * else the schema, else the legacy hnsw:* metadata keys, else the defaults; a configuration and a schema that
     * ask for different ones are refused, as Chroma refuses both. The embedding function comes from the
     * configuration, else the schema's vector index.
     */
    private static Map<String, Object> stored(CollectionSpec spec, Map<String, Object> metadata) {
        CollectionSchema schema = spec.schema();
        CollectionConfiguration fromSchema = schema == null ? null : schema.configuration();
        if (spec.configuration() != null && fromSchema != null && !fromSchema.equals(spec.configuration())) {
            throw new InvalidArgumentException("Cannot set both collection config and schema simultaneously: the"
                    + " configuration's hnsw or spann and the schema's vector_index ask for different indexes; give one of them");
        }
        CollectionConfiguration resolved = CollectionConfiguration.resolve(
                spec.configuration() != null ? spec.configuration() : fromSchema, metadata);
        EmbeddingFunctionConfig ef = spec.embeddingFunction() != null ? spec.embeddingFunction()
                : schema == null ? null : schema.embeddingFunction();
        return CollectionRuntime.stored(resolved, ef, schema);
    }

    private Collection handle(CollectionRecord record) {
        return new EmbeddedCollection(strata, record.id());
    }

    @Override
    public String toString() {
        return "Database[" + tenant() + "/" + name() + "]";
    }
}
