package dev.strata.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed version of a collection: the key of its version manifest, when it was committed, and the
 * last log sequence number it includes. GC reads the history to decide what is still named.
 */
public record VersionInfo(long version, String key, Instant createdAt, long logCursor) {
    public VersionInfo {
        Objects.requireNonNull(key, "version key");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
