package dev.strata.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The embedded client: one per process and data folder, opened with open(Path) / open(Settings).
 * Names follow Chroma: the defaults are "default_tenant" / "default_database", which exist from the start;
 * a tenant created later starts with no database, as in Chroma.
 */
public interface Strata extends AutoCloseable {

    String DEFAULT_TENANT = "default_tenant";
    String DEFAULT_DATABASE = "default_database";

    /** Opens (creating when needed) a Strata whose data lives in this folder, with default settings. */
    static Strata open(Path path) {
        return open(Settings.defaults(path));
    }

    /**
     * Opens a Strata with these settings ({@link Settings#fromEnvironment()} reads STRATA_* variables), through the
     * engine's {@link StrataFactory} (found with {@link java.util.ServiceLoader}: the API does not import the engine).
     */
    static Strata open(Settings settings) {
        return InstalledFactory.get().open(settings);
    }

    /** @throws AlreadyExistsException if the tenant exists; InvalidArgumentException for a bad name */
    Tenant createTenant(String name);

    /** @throws NotFoundException if the tenant does not exist */
    Tenant getTenant(String name);

    /**
     * Creates a database, and its tenant when that does not exist yet (as Chroma accepts a database in a tenant
     * never created). AlreadyExistsException if the database exists.
     */
    Database createDatabase(String tenant, String name);

    /** @throws NotFoundException if the tenant or database does not exist */
    Database getDatabase(String tenant, String name);

    /** Databases of a tenant in creation order; limit null = all. NotFoundException for an unknown tenant. */
    List<Database> listDatabases(String tenant, Integer limit, int offset);

    /** Deletes a database and every collection in it. NotFoundException if it does not exist. */
    void deleteDatabase(String tenant, String name);

    /**
     * Deletes every tenant, database and collection at once, then leaves the default tenant with an empty default
     * database: readers see everything or nothing. The stored objects go with garbage collection.
     */
    void reset();

    /** Same as getDatabase: the handle through which collections are managed. */
    Database database(String tenant, String name);

    /** The default tenant's default database. */
    default Database database() {
        return database(DEFAULT_TENANT, DEFAULT_DATABASE);
    }

    /** Flushes and releases everything; no exception for an already closed client. */
    @Override
    void close();
}
