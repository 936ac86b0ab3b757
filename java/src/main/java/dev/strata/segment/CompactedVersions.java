package dev.strata.segment;

import dev.strata.storage.BlockCache;
import java.util.UUID;

/**
 * Opens compacted versions by manifest key: what the engine's version opener calls for a collection at
 * version >= 1 (version 0 has no manifest: it is the empty version). Shares one block cache, one set of
 * loaded vector indexes and one pin registry among every version it opens.
 */
public final class CompactedVersions {

    private final BlockCache cache;
    private final VectorIndexes indexes;
    private final VersionPins pins;
    private final WarmIndexes warm;

    /** Versions answered by their clustered index alone (tools, compaction-only use). */
    public CompactedVersions(BlockCache cache, VectorIndexes indexes, VersionPins pins) {
        this(cache, indexes, pins, null);
    }

    /** {@code warm}: the node's in-memory graphs, offered every version opened (null: none). */
    public CompactedVersions(BlockCache cache, VectorIndexes indexes, VersionPins pins, WarmIndexes warm) {
        this.cache = cache;
        this.indexes = indexes;
        this.pins = pins;
        this.warm = warm;
    }

    /** Reads and checks the manifest at {@code versionKey}. */
    public VersionManifest manifest(String versionKey) {
        return VersionManifest.decode(versionKey, cache.store().get(versionKey));
    }

    /** Opens (and pins) the version whose manifest is at {@code versionKey}; the caller closes it. */
    public CompactedVersion open(String versionKey) {
        return open(manifest(versionKey));
    }

    public CompactedVersion open(VersionManifest manifest) {
        return CompactedVersion.open(cache, indexes, pins, manifest, warm);
    }

    /** Opens version {@code version} of a collection. */
    public CompactedVersion open(UUID collection, long version) {
        return open(VersionManifest.objectKey(collection, version));
    }

    public BlockCache cache() {
        return cache;
    }

    public VectorIndexes indexes() {
        return indexes;
    }

    public VersionPins pins() {
        return pins;
    }
}
