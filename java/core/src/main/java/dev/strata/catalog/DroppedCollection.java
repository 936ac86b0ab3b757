package dev.strata.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A deleted collection whose files GC has not yet confirmed deleted: everything under
 * {@code c/{id}/} may go. Stays in the manifest until {@link Catalog#forgetDropped} is called.
 */
public record DroppedCollection(CollectionRecord collection, List<VersionInfo> versions, Instant droppedAt) {
    public DroppedCollection {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(droppedAt, "droppedAt");
        versions = List.copyOf(versions);
    }
}
