package dev.strata.ops;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.VersionInfo;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every object one catalog generation needs, with its size: the kept versions' manifests, the roots
 * and blocks of their blockfiles, their index files, and the sealed log above the current version's log cursor
 * of each collection. Version manifests and roots are decoded (checksums checked) to find what they
 * name, so a damaged or incomplete bucket fails here, naming the key, rather than being copied.
 */
final class VersionSet {

    private static final long CACHE_BYTES = 16L << 20;

    /** Blocks, roots, index files and log segments, keyed to their size: named by the manifests, so copied first. */
    final Map<String, Long> data;
    /** Version manifests, keyed to their size: they name the data, so they are copied after it. */
    final Map<String, Long> versionManifests;
    final int versions;

    private VersionSet(Map<String, Long> data, Map<String, Long> versionManifests, int versions) {
        this.data = data;
        this.versionManifests = versionManifests;
        this.versions = versions;
    }

    static VersionSet collect(ObjectStore source, CatalogSnapshot snapshot, int concurrency) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        source.list(ObjectLayout.COLLECTIONS).forEach(m -> sizes.put(m.key(), m.size()));
        List<VersionInfo> versions = new ArrayList<>();
        Set<String> logs = new TreeSet<>();
        for (CollectionRecord c : snapshot.collections()) {
            versions.addAll(snapshot.keptVersions(c.id()));
            long cursor = snapshot.logCursor(c);
            String prefix = ObjectLayout.logFolder(c.id().toString());
            sizes.keySet().stream().filter(k -> k.startsWith(prefix))
                    .flatMap(k -> ObjectLayout.parseLogSegment(k).stream())
                    .filter(s -> s.lastSeq() > cursor)
                    .forEach(s -> logs.add(s.key()));
        }
        Set<String> named = ConcurrentHashMap.newKeySet();
        Set<String> roots = ConcurrentHashMap.newKeySet();
        Parallel.forEach(versions, concurrency, "version manifest read", v -> {
            VersionManifest m = VersionManifest.decode(v.key(), source.get(v.key()));
            roots.addAll(m.roots().values());
            named.addAll(m.indexFiles());
        });
        try (BlockCache cache = new BlockCache(source, CACHE_BYTES)) {
            Parallel.forEach(List.copyOf(roots), concurrency, "blockfile root read",
                    root -> named.addAll(BlockfileReader.objectKeysOf(cache, root)));
        }
        named.addAll(logs);
        Map<String, Long> data = new LinkedHashMap<>();
        new TreeSet<>(named).forEach(k -> data.put(k, sizeOf(sizes, k)));
        Map<String, Long> manifests = new LinkedHashMap<>();
        versions.forEach(v -> manifests.put(v.key(), sizeOf(sizes, v.key())));
        return new VersionSet(data, manifests, versions.size());
    }

    /** A named object the listing lacks is missing: the set is not complete. */
    private static long sizeOf(Map<String, Long> sizes, String key) {
        Long size = sizes.get(key);
        if (size == null) {
            throw new ObjectNotFoundException(key);
        }
        return size;
    }

    static Map<String, Long> sizesUnder(ObjectStore store, String prefix) {
        Map<String, Long> sizes = new ConcurrentHashMap<>();
        for (ObjectMeta m : store.list(prefix)) {
            sizes.put(m.key(), m.size());
        }
        return sizes;
    }
}
