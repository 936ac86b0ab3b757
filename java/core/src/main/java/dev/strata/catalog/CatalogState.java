package dev.strata.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The whole catalog in memory and the rules that keep it consistent (existence, uniqueness, version
 * order). A published state is never changed; a writer works on {@link #copyForWrite()} and records which
 * entries it touched so the local copy can be updated with just those. Every operation checks everything
 * before it changes anything, so a refused operation leaves the working copy as it was.
 */
final class CatalogState {
    static final String DEFAULT_TENANT = "default_tenant";
    static final String DEFAULT_DATABASE = "default_database";

    record DbKey(String tenant, String name) {}

    record NameKey(String tenant, String database, String name) {}

    long generation;
    long nextOrdinal;
    final Map<String, Tenant> tenants;
    final Map<DbKey, Database> databases;
    /** Live collections in creation order. */
    final Map<UUID, CollectionEntry> collections;
    final Map<NameKey, UUID> idsByName;
    final Map<UUID, DroppedCollection> dropped;
    /** The epoch of the last writer that took the bucket over (0 before any recorded a takeover). */
    long writerEpoch;
    /** Per log name, the takeovers of its log, oldest first (at most {@link #TAKEOVERS_KEPT}). */
    Map<String, List<LogTakeover>> logTakeovers = Map.of();
    boolean writerChanged;

    /** Takeovers kept per log: a writer fenced more takeovers ago than this is long gone. */
    static final int TAKEOVERS_KEPT = 16;

    final Set<String> changedTenants = new HashSet<>();
    final Set<DbKey> changedDatabases = new HashSet<>();
    final Set<UUID> changedCollections = new HashSet<>();
    final Set<UUID> changedDropped = new HashSet<>();

    private CatalogState(long generation, long nextOrdinal, Map<String, Tenant> tenants,
                         Map<DbKey, Database> databases, Map<UUID, CollectionEntry> collections,
                         Map<NameKey, UUID> idsByName, Map<UUID, DroppedCollection> dropped) {
        this.generation = generation;
        this.nextOrdinal = nextOrdinal;
        this.tenants = tenants;
        this.databases = databases;
        this.collections = collections;
        this.idsByName = idsByName;
        this.dropped = dropped;
    }

    /** A state from its parts (manifest or local copy); collections are put in ordinal order. */
    static CatalogState of(long generation, long nextOrdinal, List<Tenant> tenants, List<Database> databases,
                           List<CollectionEntry> collections, List<DroppedCollection> dropped) {
        CatalogState s = new CatalogState(generation, nextOrdinal, new LinkedHashMap<>(), new LinkedHashMap<>(),
                new LinkedHashMap<>(), new HashMap<>(), new LinkedHashMap<>());
        tenants.forEach(t -> s.tenants.put(t.name(), t));
        databases.forEach(d -> s.databases.put(new DbKey(d.tenant(), d.name()), d));
        collections.stream().sorted(Comparator.comparingLong(CollectionEntry::ordinal)).forEach(e -> {
            s.collections.put(e.record().id(), e);
            s.idsByName.put(nameKey(e.record()), e.record().id());
            s.nextOrdinal = Math.max(s.nextOrdinal, e.ordinal() + 1);
        });
        dropped.forEach(d -> s.dropped.put(d.collection().id(), d));
        return s;
    }

    /** The state of a bucket nobody has written yet: the default tenant and database. */
    static CatalogState initial(UUID defaultDatabaseId) {
        CatalogState s = of(0, 0, List.of(), List.of(), List.of(), List.of());
        s.createTenant(DEFAULT_TENANT);
        s.createDatabase(DEFAULT_TENANT, DEFAULT_DATABASE, defaultDatabaseId);
        return s;
    }

    CatalogState copyForWrite() {
        CatalogState copy = new CatalogState(generation, nextOrdinal, new LinkedHashMap<>(tenants),
                new LinkedHashMap<>(databases), new LinkedHashMap<>(collections), new HashMap<>(idsByName),
                new LinkedHashMap<>(dropped));
        copy.writerEpoch = writerEpoch;
        copy.logTakeovers = logTakeovers;
        return copy;
    }

    /** This state with the writer section of a manifest or local copy (null parts: none recorded). */
    CatalogState withWriter(Long epoch, Map<String, List<LogTakeover>> takeovers) {
        writerEpoch = epoch == null ? 0 : epoch;
        logTakeovers = takeovers == null ? Map.of() : Map.copyOf(takeovers);
        return this;
    }

    boolean changed() {
        return writerChanged || !(changedTenants.isEmpty() && changedDatabases.isEmpty() && changedCollections.isEmpty()
                && changedDropped.isEmpty());
    }

    /**
     * Writer {@code epoch} takes the bucket over: its epoch becomes the manifest's, and each log of {@code points}
     * gets the seq from which only this epoch (or a later one) writes it. Logs not named are forgotten (their
     * collections are gone). Refused when a newer epoch already took over: this writer is fenced.
     */
    void takeOver(long epoch, Map<String, Long> points) {
        if (epoch < writerEpoch) {
            throw new FencedException("writer epoch " + epoch + " is fenced: epoch " + writerEpoch
                    + " took the bucket over since");
        }
        Map<String, List<LogTakeover>> next = new HashMap<>();
        points.forEach((log, from) -> {
            List<LogTakeover> list = new ArrayList<>(logTakeovers.getOrDefault(log, List.of()));
            list.removeIf(t -> t.epoch() >= epoch);
            list.add(new LogTakeover(epoch, from));
            next.put(log, List.copyOf(list.subList(Math.max(0, list.size() - TAKEOVERS_KEPT), list.size())));
        });
        writerEpoch = epoch;
        logTakeovers = Map.copyOf(next);
        writerChanged = true;
    }

    // ---- tenants and databases

    Tenant tenant(String name) {
        Tenant t = tenants.get(name);
        if (t == null) {
            throw new NotFoundException("tenant '" + name + "' does not exist");
        }
        return t;
    }

    Tenant createTenant(String name) {
        if (tenants.containsKey(name)) {
            throw new AlreadyExistsException("tenant '" + name + "' already exists");
        }
        Tenant t = new Tenant(name);
        tenants.put(name, t);
        changedTenants.add(name);
        return t;
    }

    Database database(String tenant, String name) {
        tenant(tenant);
        Database d = databases.get(new DbKey(tenant, name));
        if (d == null) {
            throw new NotFoundException("database '" + name + "' does not exist in tenant '" + tenant + "'");
        }
        return d;
    }

    Database createDatabase(String tenant, String name, UUID id) {
        return createDatabase(tenant, name, id, false);
    }

    /** Creates the database; with {@code createTenant}, its tenant too when it does not exist. */
    Database createDatabase(String tenant, String name, UUID id, boolean createTenant) {
        if (createTenant && !tenants.containsKey(tenant)) {
            DbKey key = new DbKey(tenant, name);
            if (databases.containsKey(key)) {
                throw new AlreadyExistsException("database '" + name + "' already exists in tenant '" + tenant + "'");
            }
            createTenant(tenant);
        }
        tenant(tenant);
        DbKey key = new DbKey(tenant, name);
        if (databases.containsKey(key)) {
            throw new AlreadyExistsException("database '" + name + "' already exists in tenant '" + tenant + "'");
        }
        Database d = new Database(id, name, tenant);
        databases.put(key, d);
        changedDatabases.add(key);
        return d;
    }

    List<Database> listDatabases(String tenant, int limit, int offset) {
        tenant(tenant);
        return page(databases.values().stream().filter(d -> d.tenant().equals(tenant)).toList(), limit, offset);
    }

    /** Deletes the database and drops its collections; returns the dropped collections. */
    List<CollectionRecord> deleteDatabase(String tenant, String name, Instant now) {
        database(tenant, name);
        if (tenant.equals(DEFAULT_TENANT) && name.equals(DEFAULT_DATABASE)) {
            throw new ConflictException("the default database of the default tenant cannot be deleted");
        }
        List<UUID> ids = collections.values().stream().map(CollectionEntry::record)
                .filter(r -> r.tenant().equals(tenant) && r.database().equals(name))
                .map(CollectionRecord::id).toList();
        List<CollectionRecord> out = new ArrayList<>();
        for (UUID id : ids) {
            out.add(deleteCollection(id, now));
        }
        DbKey key = new DbKey(tenant, name);
        databases.remove(key);
        changedDatabases.add(key);
        return out;
    }

    /**
     * Drops every collection (listed as dropped for GC), removes every database and tenant, then creates the
     * default tenant and its default database again; returns the dropped collections.
     */
    List<CollectionRecord> reset(UUID defaultDatabaseId, Instant now) {
        List<CollectionRecord> out = new ArrayList<>();
        for (UUID id : List.copyOf(collections.keySet())) {
            out.add(deleteCollection(id, now));
        }
        for (DbKey key : List.copyOf(databases.keySet())) {
            databases.remove(key);
            changedDatabases.add(key);
        }
        for (String name : List.copyOf(tenants.keySet())) {
            tenants.remove(name);
            changedTenants.add(name);
        }
        createTenant(DEFAULT_TENANT);
        createDatabase(DEFAULT_TENANT, DEFAULT_DATABASE, defaultDatabaseId);
        return out;
    }

    // ---- collections

    CollectionRecord collection(UUID id) {
        CollectionEntry e = collections.get(id);
        if (e == null) {
            throw new NotFoundException("collection " + id + " does not exist");
        }
        return e.record();
    }

    CollectionRecord collection(String tenant, String database, String name) {
        database(tenant, database);
        UUID id = idsByName.get(new NameKey(tenant, database, name));
        if (id == null) {
            throw new NotFoundException("collection '" + name + "' does not exist in database '" + database
                    + "' of tenant '" + tenant + "'");
        }
        return collections.get(id).record();
    }

    /** Creates the collection, or returns the existing one of that name when {@code getIfExists}. */
    CollectionRecord createCollection(String tenant, String database, String name, Map<String, Object> metadata,
                                      Map<String, Object> configuration, Integer dimension, boolean getIfExists,
                                      UUID id, Instant now) {
        database(tenant, database);
        UUID existing = idsByName.get(new NameKey(tenant, database, name));
        if (existing != null) {
            if (getIfExists) {
                return collections.get(existing).record();
            }
            throw new AlreadyExistsException("collection '" + name + "' already exists in database '" + database
                    + "' of tenant '" + tenant + "'");
        }
        if (collections.containsKey(id) || dropped.containsKey(id)) {
            throw new AlreadyExistsException("collection id " + id + " is already used");
        }
        CollectionRecord r = new CollectionRecord(id, name, tenant, database, metadata, configuration, dimension,
                0, null, 0, now);
        putEntry(new CollectionEntry(nextOrdinal++, r, List.of()));
        return r;
    }

    /**
     * Creates a fork of {@code sourceId} named {@code name} in the source's database: the source's metadata,
     * configuration and dimension, with version 1 at {@code versionKey} (a manifest the caller wrote, naming the
     * source's objects) and an empty log, or version 0 when {@code versionKey} is null (nothing compacted).
     */
    CollectionRecord forkCollection(UUID sourceId, String name, UUID id, String versionKey, Instant now) {
        CollectionEntry source = entry(sourceId);
        CollectionRecord s = source.record();
        if (idsByName.containsKey(new NameKey(s.tenant(), s.database(), name))) {
            throw new AlreadyExistsException("collection '" + name + "' already exists in database '" + s.database()
                    + "' of tenant '" + s.tenant() + "'");
        }
        if (collections.containsKey(id) || dropped.containsKey(id)) {
            throw new AlreadyExistsException("collection id " + id + " is already used");
        }
        long version = versionKey == null ? 0 : 1;
        CollectionRecord r = new CollectionRecord(id, name, s.tenant(), s.database(), s.metadata(), s.configuration(),
                s.dimension(), version, versionKey, 0, now);
        List<VersionInfo> history = versionKey == null ? List.of() : List.of(new VersionInfo(1, versionKey, now, 0));
        putEntry(new CollectionEntry(nextOrdinal++, r, history, source.root()));
        return r;
    }

    UUID lineageRoot(UUID id) {
        return entry(id).root();
    }

    /** The live forks of the lineage {@code id} belongs to (every collection sharing its root, but the root). */
    int forkCount(UUID id) {
        UUID root = entry(id).root();
        return (int) collections.values().stream()
                .filter(e -> e.lineageRoot() != null && e.lineageRoot().equals(root)).count();
    }

    List<CollectionRecord> listCollections(String tenant, String database, int limit, int offset) {
        database(tenant, database);
        return page(inDatabase(tenant, database), limit, offset);
    }

    int countCollections(String tenant, String database) {
        database(tenant, database);
        return inDatabase(tenant, database).size();
    }

    List<CollectionRecord> allCollections() {
        return collections.values().stream().map(CollectionEntry::record).toList();
    }

    CollectionRecord updateCollection(UUID id, CollectionUpdate update) {
        CollectionEntry e = entry(id);
        CollectionRecord r = e.record();
        if (update.name() != null && !update.name().equals(r.name())
                && idsByName.containsKey(new NameKey(r.tenant(), r.database(), update.name()))) {
            throw new AlreadyExistsException("collection '" + update.name() + "' already exists in database '"
                    + r.database() + "' of tenant '" + r.tenant() + "'");
        }
        if (update.dimension() != null && r.dimension() != null && !update.dimension().equals(r.dimension())) {
            throw new ConflictException("collection " + id + " already has dimension " + r.dimension()
                    + ", cannot change it to " + update.dimension());
        }
        CollectionRecord next = r;
        if (update.name() != null) {
            next = next.withName(update.name());
        }
        if (update.metadata() != null) {
            next = next.withMetadata(update.metadata());
        }
        if (update.configuration() != null) {
            next = next.withConfiguration(update.configuration());
        }
        if (update.dimension() != null) {
            next = next.withDimension(update.dimension());
        }
        if (!next.equals(r)) {
            idsByName.remove(nameKey(r));
            putEntry(e.with(next, e.versions()));
        }
        return next;
    }

    /** Removes the collection and lists it as dropped until GC confirms its files are gone. */
    CollectionRecord deleteCollection(UUID id, Instant now) {
        CollectionEntry e = entry(id);
        collections.remove(id);
        idsByName.remove(nameKey(e.record()));
        changedCollections.add(id);
        dropped.put(id, new DroppedCollection(e.record(), e.versions(), now));
        changedDropped.add(id);
        return e.record();
    }

    // ---- versions

    CollectionRecord commitVersion(UUID id, long expectedVersion, long newVersion, String versionKey,
                                   long logCursor, Instant now) {
        CollectionEntry e = entry(id);
        CollectionRecord r = e.record();
        if (r.version() != expectedVersion) {
            throw new ConflictException("collection " + id + " is at version " + r.version() + ", not at the expected "
                    + expectedVersion);
        }
        if (newVersion <= expectedVersion) {
            throw new IllegalArgumentException("new version " + newVersion + " must be above " + expectedVersion);
        }
        if (versionKey == null || versionKey.isEmpty()) {
            throw new IllegalArgumentException("version key must be given");
        }
        if (logCursor < r.logCursor()) {
            throw new IllegalArgumentException("log cursor " + logCursor + " is behind the current " + r.logCursor());
        }
        List<VersionInfo> history = new ArrayList<>(e.versions());
        history.add(new VersionInfo(newVersion, versionKey, now, logCursor));
        CollectionRecord next = r.withVersion(newVersion, versionKey, logCursor);
        putEntry(e.with(next, history));
        return next;
    }

    List<VersionInfo> versions(UUID id) {
        return entry(id).versions();
    }

    void forgetVersions(UUID id, Set<Long> versions) {
        CollectionEntry e = entry(id);
        if (versions.contains(e.record().version()) && e.record().version() != 0) {
            throw new ConflictException("version " + e.record().version() + " is the current version of collection "
                    + id + " and cannot be forgotten");
        }
        List<VersionInfo> kept = e.versions().stream().filter(v -> !versions.contains(v.version())).toList();
        if (kept.size() != e.versions().size()) {
            putEntry(e.with(e.record(), kept));
        }
    }

    List<DroppedCollection> droppedCollections() {
        return List.copyOf(dropped.values());
    }

    void forgetDropped(UUID id) {
        if (dropped.remove(id) != null) {
            changedDropped.add(id);
        }
    }

    // ---- helpers

    private CollectionEntry entry(UUID id) {
        CollectionEntry e = collections.get(id);
        if (e == null) {
            throw new NotFoundException("collection " + id + " does not exist");
        }
        return e;
    }

    private void putEntry(CollectionEntry e) {
        collections.put(e.record().id(), e);
        idsByName.put(nameKey(e.record()), e.record().id());
        changedCollections.add(e.record().id());
    }

    private List<CollectionRecord> inDatabase(String tenant, String database) {
        return collections.values().stream().map(CollectionEntry::record)
                .filter(r -> r.tenant().equals(tenant) && r.database().equals(database)).toList();
    }

    private static NameKey nameKey(CollectionRecord r) {
        return new NameKey(r.tenant(), r.database(), r.name());
    }

    private static <T> List<T> page(List<T> all, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must be >= 0, got limit " + limit + ", offset " + offset);
        }
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }
}
