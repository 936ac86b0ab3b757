package dev.strata.api;

import java.util.List;

/**
 * The embedded client: one per process and data folder. The engine implements it; static factories
 * open(Path) / open(Settings) are added by the integrator. Names follow Chroma: every tenant starts
 * with a database; the defaults are "default_tenant" / "default_database".
 */
public interface Strata extends AutoCloseable {

    String DEFAULT_TENANT = "default_tenant";
    String DEFAULT_DATABASE = "default_database";

    /** @throws AlreadyExistsException if the tenant exists; InvalidArgumentException for a bad name */
    Tenant createTenant(String name);

    /** @throws NotFoundException if the tenant does not exist */
    Tenant getTenant(String name);

    /** @throws NotFoundException for an unknown tenant; AlreadyExistsException if the database exists */
    Database createDatabase(String tenant, String name);

    /** @throws NotFoundException if the tenant or database does not exist */
    Database getDatabase(String tenant, String name);

    /** Databases of a tenant in creation order; limit null = all. NotFoundException for an unknown tenant. */
    List<Database> listDatabases(String tenant, Integer limit, int offset);

    /** Deletes a database and every collection in it. NotFoundException if it does not exist. */
    void deleteDatabase(String tenant, String name);

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
