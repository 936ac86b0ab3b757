package dev.strata.server;

import dev.strata.api.Database;
import dev.strata.api.Strata;
import dev.strata.api.Tenant;
import java.util.List;

/**
 * The real engine seen through a window that notes which kind of thread last looked a database up: the server
 * promises a virtual thread per request and platform read workers for reads, which only the thread that calls the
 * engine shows. Every call goes to the engine unchanged.
 */
final class LookupThreadRecorder implements Strata {

    private final Strata engine;
    private volatile boolean lastLookupOnVirtualThread;

    LookupThreadRecorder(Strata engine) {
        this.engine = engine;
    }

    /** Whether the last getDatabase or database call ran on a virtual thread. */
    boolean lastLookupOnVirtualThread() {
        return lastLookupOnVirtualThread;
    }

    @Override
    public Database getDatabase(String tenant, String name) {
        lastLookupOnVirtualThread = Thread.currentThread().isVirtual();
        return engine.getDatabase(tenant, name);
    }

    @Override
    public Database database(String tenant, String name) {
        lastLookupOnVirtualThread = Thread.currentThread().isVirtual();
        return engine.database(tenant, name);
    }

    @Override
    public Tenant createTenant(String name) {
        return engine.createTenant(name);
    }

    @Override
    public Tenant getTenant(String name) {
        return engine.getTenant(name);
    }

    @Override
    public Database createDatabase(String tenant, String name) {
        return engine.createDatabase(tenant, name);
    }

    @Override
    public List<Database> listDatabases(String tenant, Integer limit, int offset) {
        return engine.listDatabases(tenant, limit, offset);
    }

    @Override
    public void deleteDatabase(String tenant, String name) {
        engine.deleteDatabase(tenant, name);
    }

    @Override
    public void reset() {
        engine.reset();
    }

    @Override
    public void close() {
        engine.close();
    }
}
