package dev.strata.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A live collection as stored: its record, its version history (oldest first) and its creation ordinal,
 * which keeps listings in creation order across rebuilds.
 */
record CollectionEntry(long ordinal, CollectionRecord record, List<VersionInfo> versions) {
    CollectionEntry {
        Objects.requireNonNull(record, "record");
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
