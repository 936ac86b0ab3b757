package dev.strata.catalog;

import java.util.Objects;
import java.util.UUID;

/** A database inside a tenant; collection names are unique per database. */
public record Database(UUID id, String name, String tenant) {
    public Database {
        Objects.requireNonNull(id, "database id");
        Objects.requireNonNull(name, "database name");
        Objects.requireNonNull(tenant, "tenant name");
    }
}
