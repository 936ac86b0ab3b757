package dev.strata.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A collection as the catalog knows it: identity, place, user metadata and configuration, the embedding
 * dimension (null until the first embedding), and the current compacted version with its log cursor.
 *
 * @param version    0 while nothing is compacted
 * @param versionKey object key of the current version manifest, null while {@code version == 0}
 * @param logCursor  the last log sequence number included in the current version (0 when none)
 */
public record CollectionRecord(UUID id, String name, String tenant, String database, Map<String, Object> metadata,
                               Map<String, Object> configuration, Integer dimension, long version,
                               String versionKey, long logCursor, Instant createdAt) {
    public CollectionRecord {
        Objects.requireNonNull(id, "collection id");
        Objects.requireNonNull(name, "collection name");
        Objects.requireNonNull(tenant, "tenant name");
        Objects.requireNonNull(database, "database name");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = JsonValues.metadata(metadata);
        configuration = JsonValues.configuration(configuration);
        if (dimension != null && dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (version < 0 || logCursor < 0) {
            throw new IllegalArgumentException("version and log cursor must be >= 0");
        }
    }

    CollectionRecord withName(String newName) {
        return new CollectionRecord(id, newName, tenant, database, metadata, configuration, dimension, version,
                versionKey, logCursor, createdAt);
    }

    CollectionRecord withMetadata(Map<String, ?> newMetadata) {
        return new CollectionRecord(id, name, tenant, database, JsonValues.metadata(newMetadata), configuration,
                dimension, version, versionKey, logCursor, createdAt);
    }

    CollectionRecord withConfiguration(Map<String, ?> newConfiguration) {
        return new CollectionRecord(id, name, tenant, database, metadata,
                JsonValues.configuration(newConfiguration), dimension, version, versionKey, logCursor, createdAt);
    }

    CollectionRecord withDimension(int newDimension) {
        return new CollectionRecord(id, name, tenant, database, metadata, configuration, newDimension, version,
                versionKey, logCursor, createdAt);
    }

    CollectionRecord withVersion(long newVersion, String newVersionKey, long newLogCursor) {
        return new CollectionRecord(id, name, tenant, database, metadata, configuration, dimension, newVersion,
                newVersionKey, newLogCursor, createdAt);
    }
}
