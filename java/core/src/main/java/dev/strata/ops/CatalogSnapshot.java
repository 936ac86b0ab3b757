package dev.strata.ops;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.DroppedCollection;
import dev.strata.catalog.LogTakeover;
import dev.strata.catalog.VersionInfo;
import dev.strata.storage.LocalFolders;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.VersionedBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One generation of the catalog manifest, read once: its exact bytes (what a backup copies last) and
 * what they say (live collections with their kept versions, dropped collections). Decoding goes
 * through a read-only {@link Catalog} over a scratch copy of those bytes, so the manifest is checked
 * by the catalog's own codec and the tool never writes to, or re-reads, the bucket's manifest.
 */
public final class CatalogSnapshot {

    private final byte[] manifestBytes;
    private final long generation;
    private final List<CollectionRecord> collections;
    private final Map<UUID, List<VersionInfo>> versions;
    private final List<DroppedCollection> dropped;
    private Map<String, List<LogTakeover>> logTakeovers = Map.of();

    private CatalogSnapshot(byte[] manifestBytes, long generation, List<CollectionRecord> collections,
                            Map<UUID, List<VersionInfo>> versions, List<DroppedCollection> dropped) {
        this.manifestBytes = manifestBytes;
        this.generation = generation;
        this.collections = List.copyOf(collections);
        this.versions = versions;
        this.dropped = List.copyOf(dropped);
    }

    /**
     * Reads {@code catalog/manifest.json} from {@code store}.
     *
     * @throws dev.strata.storage.ObjectNotFoundException when the bucket has no manifest
     * @throws dev.strata.storage.CorruptObjectException  when the manifest fails its checksum or does not parse
     */
    public static CatalogSnapshot read(ObjectStore store) {
        VersionedBytes manifest = store.getVersioned(ObjectLayout.CATALOG_MANIFEST);
        return decode(manifest.data());
    }

    /** Decodes manifest bytes (checked by the catalog's codec). */
    public static CatalogSnapshot decode(byte[] manifestBytes) {
        Path scratch = createScratch();
        try (LocalObjectStore copy = new LocalObjectStore(scratch.resolve("objects"));
             LocalKv kv = LocalKv.open(scratch.resolve("catalog"), List.of(Catalog.KV_FAMILY))) {
            copy.put(ObjectLayout.CATALOG_MANIFEST, manifestBytes);
            try (Catalog catalog = Catalog.openReadOnly(kv, copy, CatalogOptions.defaults())) {
                List<CollectionRecord> live = catalog.allCollections();
                Map<UUID, List<VersionInfo>> history = new LinkedHashMap<>();
                for (CollectionRecord c : live) {
                    history.put(c.id(), keptVersionsOf(c, catalog.versions(c.id())));
                }
                CatalogSnapshot snapshot = new CatalogSnapshot(manifestBytes.clone(), catalog.generation(), live,
                        history, catalog.droppedCollections());
                snapshot.logTakeovers = catalog.logTakeovers();
                return snapshot;
            }
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** The history, plus the current version when the history lacks it, oldest first. */
    private static List<VersionInfo> keptVersionsOf(CollectionRecord c, List<VersionInfo> history) {
        List<VersionInfo> kept = new ArrayList<>(history);
        boolean hasCurrent = kept.stream().anyMatch(v -> v.version() == c.version());
        if (c.version() > 0 && !hasCurrent) {
            kept.add(new VersionInfo(c.version(), c.versionKey(), c.createdAt(), c.logCursor()));
        }
        kept.sort(Comparator.comparingLong(VersionInfo::version));
        return List.copyOf(kept);
    }

    /** The manifest's exact bytes. */
    /** Per log name, the writer takeovers the manifest records (which log segments count; see LogFences). */
    public Map<String, List<LogTakeover>> logTakeovers() {
        return logTakeovers;
    }

    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public long generation() {
        return generation;
    }

    /** Live collections in creation order. */
    public List<CollectionRecord> collections() {
        return collections;
    }

    /** The collection's kept versions (history and current), oldest first; empty before its first compaction. */
    public List<VersionInfo> keptVersions(UUID collection) {
        return versions.getOrDefault(collection, List.of());
    }

    /**
     * The current version's log cursor: the log above it is needed (a node opening the collection replays it), the
     * log below it is not (every kept version is complete without it, and GC deletes it once no read may still
     * replay it); 0 when nothing is compacted, so the whole log is.
     */
    public long logCursor(CollectionRecord c) {
        return c.logCursor();
    }

    /** Deleted collections whose files GC has not confirmed gone. */
    public List<DroppedCollection> dropped() {
        return dropped;
    }

    private static Path createScratch() {
        try {
            return Files.createTempDirectory("strata-ops-catalog");
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create a scratch folder to decode the catalog manifest", ObjectLayout.CATALOG_MANIFEST, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            LocalFolders.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete scratch folder " + dir, e);
        }
    }
}
