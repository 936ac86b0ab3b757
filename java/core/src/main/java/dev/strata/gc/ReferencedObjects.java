package dev.strata.gc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The object keys one committed version needs: its manifest, the roots and index files the manifest names,
 * and every block each root names (read from the roots, never from the blocks). A committed manifest never
 * changes, so the answer is cached by manifest key and a steady-state GC run reads no manifest or root again.
 */
final class ReferencedObjects {

    /** What one version names, and the last log seq it includes. */
    record VersionRefs(long version, long logCursor, Set<String> keys) {
        VersionRefs {
            keys = Set.copyOf(keys);
        }
    }

    /** Bounds the cache by the number of keys held (a version of a large collection names thousands of blocks). */
    private static final long MAX_CACHED_KEYS = 1_000_000;

    private final BlockCache cache;
    private final Cache<String, VersionRefs> committed = Caffeine.newBuilder()
            .maximumWeight(MAX_CACHED_KEYS)
            .weigher((String k, VersionRefs v) -> v.keys().size() + 1)
            .build();

    ReferencedObjects(BlockCache cache) {
        this.cache = cache;
    }

    /**
     * The references of {@code version} of {@code collection}, whose manifest is {@code manifestKey}.
     *
     * @throws dev.strata.storage.ObjectNotFoundException when the manifest or a root is missing
     * @throws CorruptObjectException when the manifest or a root fails its checks, or describes another version
     */
    VersionRefs of(UUID collection, long version, String manifestKey) {
        return committed.get(manifestKey, key -> load(collection, version, key));
    }

    private VersionRefs load(UUID collection, long version, String manifestKey) {
        VersionManifest m = VersionManifest.decode(manifestKey, cache.store().get(manifestKey));
        if (!m.collection().equals(collection) || m.version() != version) {
            throw new CorruptObjectException(manifestKey, "manifest describes version " + m.version() + " of collection "
                    + m.collection() + ", expected version " + version + " of " + collection);
        }
        Set<String> keys = new HashSet<>();
        keys.add(manifestKey);
        keys.addAll(m.namedObjects());
        for (String root : m.roots().values()) {
            keys.addAll(BlockfileReader.objectKeysOf(cache, root));
        }
        return new VersionRefs(version, m.logCursor(), keys);
    }
}
