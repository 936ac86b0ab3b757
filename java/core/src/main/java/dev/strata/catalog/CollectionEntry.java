package dev.strata.catalog;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A live collection as stored: its record, its version history (oldest first), its creation ordinal, which
 * keeps listings in creation order across rebuilds, and the collection its lineage started from when it is a
 * fork (null for a collection created from nothing).
 */
record CollectionEntry(long ordinal, CollectionRecord record, List<VersionInfo> versions, UUID lineageRoot) {
    CollectionEntry {
        Objects.requireNonNull(record, "record");
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    CollectionEntry(long ordinal, CollectionRecord record, List<VersionInfo> versions) {
        this(ordinal, record, versions, null);
    }

    CollectionEntry with(CollectionRecord newRecord, List<VersionInfo> newVersions) {
        return new CollectionEntry(ordinal, newRecord, newVersions, lineageRoot);
    }

    /** The first collection of this one's lineage: its lineage root, or itself. */
    UUID root() {
        return lineageRoot != null ? lineageRoot : record.id();
    }
}
