package dev.strata.engine;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
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
    public Collection createCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration) {
        return create(name, metadata, configuration, false);
    }

    @Override
    public Collection getCollection(String name) {
        return Errors.call(() -> handle(strata.catalog().getCollection(tenant(), name(), name)));
    }

    @Override
    public Collection getOrCreateCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration) {
        return create(name, metadata, configuration, true);
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

    private Collection create(String name, Map<String, Object> metadata, CollectionConfiguration configuration,
            boolean getIfExists) {
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
        Map<String, Object> canonical = Validator.validateCollectionMetadata(metadata);
        CollectionConfiguration resolved = CollectionConfiguration.resolve(configuration, canonical);
        return Errors.call(() -> handle(getIfExists
                ? strata.catalog().getOrCreateCollection(tenant(), name(), name, canonical, CollectionRuntime.stored(resolved), null)
                : strata.catalog().createCollection(tenant(), name(), name, canonical, CollectionRuntime.stored(resolved), null)));
    }

    private Collection handle(CollectionRecord record) {
        return new EmbeddedCollection(strata, record.id());
    }

    @Override
    public String toString() {
        return "Database[" + tenant() + "/" + name() + "]";
    }
}
