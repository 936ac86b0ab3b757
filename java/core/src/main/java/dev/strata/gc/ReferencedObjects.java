package dev.strata.gc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.catalog.VersionInfo;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectNotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ReferencedObjects.class);

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

    /**
     * What each of the {@code kept} versions names. A kept version of the history whose manifest is missing stops
     * everything (what it names is unknown); a pinned version outside the history without a manifest protects nothing.
     *
     * @throws GcException when a committed kept version's manifest is missing
     */
    List<VersionRefs> ofKept(UUID collection, Set<Long> kept, List<VersionInfo> history) {
        List<VersionRefs> refs = new ArrayList<>();
        for (long v : kept) {
            VersionInfo committed = history.stream().filter(h -> h.version() == v).findFirst().orElse(null);
            try {
                refs.add(of(collection, v, committed != null ? committed.key() : ObjectLayout.versionManifest(collection, v)));
            } catch (ObjectNotFoundException e) {
                if (committed != null) {
                    throw new GcException("version " + v + " of collection " + collection + " is kept but "
                            + e.getMessage() + "; nothing of this collection is deleted until it is found or the"
                            + " version is forgotten", e);
                }
                LOG.warn("version {} of collection {} is pinned but has no manifest ({}); it protects nothing", v,
                        collection, e.getMessage());
            }
        }
        return refs;
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
