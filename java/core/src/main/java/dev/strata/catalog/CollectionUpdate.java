package dev.strata.catalog;

import java.util.Map;

/**
 * What {@link Catalog#updateCollection} changes; a null field is left as it is. Metadata and configuration
 * are replaced whole (the API layer merges when Chroma's semantics ask for it).
 */
public record CollectionUpdate(String name, Map<String, Object> metadata, Map<String, Object> configuration,
                               Integer dimension) {
    public static final CollectionUpdate NONE = new CollectionUpdate(null, null, null, null);

    public CollectionUpdate withName(String newName) {
        return new CollectionUpdate(newName, metadata, configuration, dimension);
    }

    public CollectionUpdate withMetadata(Map<String, Object> newMetadata) {
        return new CollectionUpdate(name, newMetadata, configuration, dimension);
    }

    public CollectionUpdate withConfiguration(Map<String, Object> newConfiguration) {
        return new CollectionUpdate(name, metadata, newConfiguration, dimension);
    }

    public CollectionUpdate withDimension(int newDimension) {
        return new CollectionUpdate(name, metadata, configuration, newDimension);
    }
}
