package dev.strata.server;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.CollectionSchema;
import dev.strata.api.CollectionSpec;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.Include;
import dev.strata.api.IndexingStatus;
import dev.strata.api.ConfigurationUpdate;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.NotFoundException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Strata;
import dev.strata.api.Tenant;
import dev.strata.api.Validator;
import dev.strata.testing.ReferenceCollection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Test double of the engine for the HTTP layer: tenants, databases and collections in memory, each
 * collection's records kept by the {@link ReferenceCollection} (Chroma's reference semantics). One
 * lock serializes everything: simple and enough for tests. The real engine replaces it at integration.
 */
public final class InMemoryStrata implements Strata {

    private final Object lock = new Object();
    private final Map<String, Map<String, MemDatabase>> tenants = new LinkedHashMap<>();
    private final Validator validator;
    private boolean closed;
    private volatile boolean lastLookupOnVirtualThread;

    public InMemoryStrata(Validator validator) {
        this.validator = validator;
        createTenant(DEFAULT_TENANT);
    }

    public InMemoryStrata() {
        this(new Validator());
    }

    /** Whether the last getDatabase call ran on a virtual thread (the server promises one per request). */
    public boolean lastLookupOnVirtualThread() {
        return lastLookupOnVirtualThread;
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public Tenant createTenant(String name) {
        Validator.validateTenantName(name);
        synchronized (lock) {
            if (tenants.containsKey(name)) {
                throw new AlreadyExistsException("Tenant " + name + " already exists");
            }
            Map<String, MemDatabase> dbs = new LinkedHashMap<>();
            dbs.put(DEFAULT_DATABASE, new MemDatabase(name, DEFAULT_DATABASE));
            tenants.put(name, dbs);
            return new Tenant(name);
        }
    }

    @Override
    public Tenant getTenant(String name) {
        synchronized (lock) {
            tenant(name);
            return new Tenant(name);
        }
    }

    private Map<String, MemDatabase> tenant(String name) {
        Map<String, MemDatabase> t = tenants.get(name);
        if (t == null) {
            throw new NotFoundException("Tenant " + name + " not found");
        }
        return t;
    }

    @Override
    public Database createDatabase(String tenant, String name) {
        Validator.validateDatabaseName(name);
        synchronized (lock) {
            if (!tenants.containsKey(tenant)) {
                createTenant(tenant);
                tenants.get(tenant).remove(DEFAULT_DATABASE);
            }
            Map<String, MemDatabase> t = tenant(tenant);
            if (t.containsKey(name)) {
                throw new AlreadyExistsException("Database " + name + " already exists for tenant " + tenant);
            }
            MemDatabase db = new MemDatabase(tenant, name);
            t.put(name, db);
            return db;
        }
    }

    @Override
    public Database getDatabase(String tenant, String name) {
        lastLookupOnVirtualThread = Thread.currentThread().isVirtual();
        synchronized (lock) {
            MemDatabase db = tenant(tenant).get(name);
            if (db == null) {
                throw new NotFoundException("Database " + name + " not found for tenant " + tenant);
            }
            return db;
        }
    }

    @Override
    public List<Database> listDatabases(String tenant, Integer limit, int offset) {
        synchronized (lock) {
            return page(new ArrayList<Database>(tenant(tenant).values()), limit, offset);
        }
    }

    @Override
    public void deleteDatabase(String tenant, String name) {
        synchronized (lock) {
            if (tenant(tenant).remove(name) == null) {
                throw new NotFoundException("Database " + name + " not found for tenant " + tenant);
            }
        }
    }

    @Override
    public Database database(String tenant, String name) {
        return getDatabase(tenant, name);
    }

    @Override
    public void reset() {
        synchronized (lock) {
            tenants.clear();
            createTenant(DEFAULT_TENANT);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    private static <T> List<T> page(List<T> all, Integer limit, int offset) {
        int from = Math.min(offset, all.size());
        int to = limit == null ? all.size() : (int) Math.min((long) from + limit, all.size());
        return List.copyOf(all.subList(from, to));
    }

    private final class MemDatabase implements Database {
        private final UUID id = UUID.randomUUID();
        private final String tenant;
        private final String name;
        private final Map<String, MemCollection> collections = new LinkedHashMap<>();

        MemDatabase(String tenant, String name) {
            this.tenant = tenant;
            this.name = name;
        }

        @Override
        public UUID id() {
            return id;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Collection createCollection(String name, CollectionSpec spec) {
            Validator.validateCollectionName(name);
            Map<String, Object> canonical = Validator.validateCollectionMetadata(spec.metadata());
            CollectionSchema schema = spec.schema();
            CollectionConfiguration explicit = spec.configuration() != null ? spec.configuration()
                    : schema == null ? null : schema.configuration();
            CollectionConfiguration resolved = CollectionConfiguration.resolve(explicit, canonical);
            EmbeddingFunctionConfig ef = spec.embeddingFunction() != null ? spec.embeddingFunction()
                    : schema == null ? null : schema.embeddingFunction();
            synchronized (lock) {
                if (collections.containsKey(name)) {
                    throw new AlreadyExistsException("Collection [" + name + "] already exists");
                }
                MemCollection c = new MemCollection(this, name, canonical, resolved, ef, schema, null);
                collections.put(name, c);
                return c;
            }
        }

        @Override
        public Collection getCollection(String name) {
            synchronized (lock) {
                MemCollection c = collections.get(name);
                if (c == null) {
                    throw new NotFoundException("Collection [" + name + "] does not exist");
                }
                return c;
            }
        }

        @Override
        public Collection getOrCreateCollection(String name, CollectionSpec spec) {
            synchronized (lock) {
                MemCollection c = collections.get(name);
                return c != null ? c : createCollection(name, spec);
            }
        }

        @Override
        public List<Collection> listCollections(Integer limit, int offset) {
            synchronized (lock) {
                return page(new ArrayList<Collection>(collections.values()), limit, offset);
            }
        }

        @Override
        public int countCollections() {
            synchronized (lock) {
                return collections.size();
            }
        }

        @Override
        public void deleteCollection(String name) {
            synchronized (lock) {
                if (collections.remove(name) == null) {
                    throw new NotFoundException("Collection [" + name + "] does not exist");
                }
            }
        }
    }

    private final class MemCollection implements Collection {
        private final UUID id = UUID.randomUUID();
        private final MemDatabase database;
        private final ReferenceCollection records;
        private String name;
        private final UUID lineageRoot;
        private final CollectionSchema schema;
        private Map<String, Object> metadata;
        private CollectionConfiguration configuration;
        private EmbeddingFunctionConfig embeddingFunction;

        MemCollection(MemDatabase database, String name, Map<String, Object> metadata, CollectionConfiguration configuration,
                      EmbeddingFunctionConfig embeddingFunction, CollectionSchema schema, UUID lineageRoot) {
            this.database = database;
            this.name = name;
            this.metadata = metadata;
            this.configuration = configuration;
            this.embeddingFunction = embeddingFunction;
            this.schema = schema;
            this.lineageRoot = lineageRoot;
            this.records = new ReferenceCollection(configuration, validator);
        }

        @Override
        public EmbeddingFunctionConfig embeddingFunction() {
            synchronized (lock) {
                return embeddingFunction;
            }
        }

        @Override
        public CollectionSchema schema() {
            return schema == null ? CollectionSchema.defaults() : schema;
        }

        /** The double copies the records; the engine shares their objects instead. */
        @Override
        public Collection fork(String newName) {
            Validator.validateCollectionName(newName);
            synchronized (lock) {
                if (database.collections.containsKey(newName)) {
                    throw new AlreadyExistsException("Collection [" + newName + "] already exists");
                }
                MemCollection f = new MemCollection(database, newName, metadata, configuration, embeddingFunction, schema,
                        lineageRoot != null ? lineageRoot : id);
                GetResult all = records.get(GetRequest.builder()
                        .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS).build());
                if (!all.ids().isEmpty()) {
                    f.records.add(new RecordSet(all.ids(), all.embeddings(), all.documents(), all.metadatas(), all.uris()));
                }
                database.collections.put(newName, f);
                return f;
            }
        }

        @Override
        public int forkCount() {
            synchronized (lock) {
                UUID root = lineageRoot != null ? lineageRoot : id;
                return (int) tenants.values().stream().flatMap(t -> t.values().stream())
                        .flatMap(d -> d.collections.values().stream())
                        .filter(c -> root.equals(c.lineageRoot)).count();
            }
        }

        @Override
        public IndexingStatus indexingStatus() {
            synchronized (lock) {
                return new IndexingStatus(records.count(), 0);
            }
        }

        @Override
        public UUID id() {
            return id;
        }

        @Override
        public String name() {
            synchronized (lock) {
                return name;
            }
        }

        @Override
        public String tenant() {
            return database.tenant;
        }

        @Override
        public String database() {
            return database.name;
        }

        @Override
        public Map<String, Object> metadata() {
            synchronized (lock) {
                return metadata;
            }
        }

        @Override
        public CollectionConfiguration configuration() {
            synchronized (lock) {
                return configuration;
            }
        }

        @Override
        public OptionalInt dimension() {
            synchronized (lock) {
                return records.dimension();
            }
        }

        @Override
        public void add(RecordSet set) {
            synchronized (lock) {
                records.add(set);
            }
        }

        @Override
        public void upsert(RecordSet set) {
            synchronized (lock) {
                records.upsert(set);
            }
        }

        @Override
        public void update(RecordSet set) {
            synchronized (lock) {
                records.update(set);
            }
        }

        @Override
        public int delete(DeleteRequest request) {
            checkIndexed(request.where(), request.whereDocument());
            synchronized (lock) {
                return records.delete(request);
            }
        }

        @Override
        public GetResult get(GetRequest request) {
            checkIndexed(request.where(), request.whereDocument());
            synchronized (lock) {
                return records.get(request);
            }
        }

        @Override
        public QueryResult query(QueryRequest request) {
            checkIndexed(request.where(), request.whereDocument());
            synchronized (lock) {

                return records.query(request);
            }
        }

        @Override
        public int count() {
            synchronized (lock) {
                return records.count();
            }
        }

        @Override
        public GetResult peek(int limit) {
            synchronized (lock) {
                return records.peek(limit);
            }
        }

        @Override
        public void modify(String newName, Map<String, Object> newMetadata, ConfigurationUpdate update,
                           EmbeddingFunctionConfig newEmbeddingFunction) {
            if (newName != null) {
                Validator.validateCollectionName(newName);
            }
            Map<String, Object> canonical = Validator.validateCollectionMetadata(newMetadata);
            synchronized (lock) {
                if (newName != null && !newName.equals(name)) {
                    if (database.collections.containsKey(newName)) {
                        throw new AlreadyExistsException("Collection [" + newName + "] already exists");
                    }
                    database.collections.remove(name);
                    database.collections.put(newName, this);
                    name = newName;
                }
                if (canonical != null) {
                    metadata = canonical;
                }
                if (update != null) {
                    configuration = configuration.apply(update);
                }
                if (newEmbeddingFunction != null) {
                    embeddingFunction = newEmbeddingFunction;
                }
            }
        }

        private void checkIndexed(dev.strata.api.Where where, dev.strata.api.WhereDocument whereDocument) {
            if (schema != null) {
                schema.checkFilters(where == null ? null : where.filter(), whereDocument != null);
            }
        }

        @Override
        public void compact() {
            // Nothing to compact: the reference model has no log.
        }
    }
}
