package dev.strata.catalog;

import java.util.Objects;

/** A tenant: the top of the namespace; databases live in one tenant. */
public record Tenant(String name) {
    public Tenant {
        Objects.requireNonNull(name, "tenant name");
    }
}
