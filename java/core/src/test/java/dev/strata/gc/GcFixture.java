package dev.strata.gc;

import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.CommitResult;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A node for GC tests: a local bucket, RocksDB, a real catalog, the block cache, pins and a movable clock; and
 * collection histories written the way compaction writes them (blocks, roots copy-on-write, index files, manifest,
 * then the catalog commit), remembering what each version names from the writer's own results.
 */
final class GcFixture implements AutoCloseable {

    /** Small blocks: 60 ids make five or so blocks, so a one-key change rewrites one block and shares the rest. */
    static final long TARGET_BLOCK_BYTES = 256;
    static final int IDS = 60;

    final Path dir;
    final ObjectStore store;
    final LocalKv kv;
    final Catalog catalog;
    final BlockCache cache;
    final VersionPins pins = new VersionPins();
    final MutableClock clock = new MutableClock(Instant.now());

    GcFixture(Path dir) {
        this(dir, new LocalObjectStore(dir.resolve("objects")));
    }

    /** A node whose bucket is {@code store} (closed with the fixture). */
    GcFixture(Path dir, ObjectStore store) {
        this.dir = dir;
        this.store = store;
        this.kv = LocalKv.open(dir.resolve("kv"), List.of(Catalog.KV_FAMILY, WriteAheadLog.KV_FAMILY));
        this.catalog = Catalog.open(kv, store, CatalogOptions.defaults());
        this.cache = new BlockCache(store, 16 << 20);
    }

    GarbageCollector gc(GcOptions options) {
        return gc(options, null);
    }

    GarbageCollector gc(GcOptions options, WriteAheadLog wal) {
        return new GarbageCollector(catalog, cache, pins, wal, options, clock);
    }

    History newCollection(String name) {
        return new History(catalog.createCollection("default_tenant", "default_database", name, null, null, null).id());
    }

    /** Every key under the collection's prefix now. */
    Set<String> keysOf(UUID collection) {
        Set<String> keys = new TreeSet<>();
        for (ObjectMeta o : store.list(ObjectLayout.collectionFolder(collection))) {
            keys.add(o.key());
        }
        return keys;
    }

    /** An object as an unfinished compaction would leave it: written, named by no committed manifest. */
    String putOrphanBlock(UUID collection) {
        String key = ObjectLayout.block(ObjectLayout.collectionFolder(collection), UUID.randomUUID().toString());
        store.put(key, "orphan".getBytes(StandardCharsets.UTF_8));
        return key;
    }

    String putLogSegment(UUID collection, long first, long last) {
        String key = new LogSegment(collection.toString(), first, last).key();
        store.put(key, ("log " + first + "-" + last).getBytes(StandardCharsets.UTF_8));
        return key;
    }

    @Override
    public void close() {
        catalog.close();
        kv.close();
        store.close();
    }

    /** One collection's versions, committed in order. */
    final class History {
        final UUID id;
        private long version;
        private String idsRoot;
        private String tagsRoot;
        private Set<String> tagsObjects = Set.of();
        private final Map<Long, Set<String>> objectsOf = new HashMap<>();
        private final Map<Long, Map<Long, Long>> idsOf = new HashMap<>();
        private final Map<Long, String> idsRootOf = new HashMap<>();

        History(UUID id) {
            this.id = id;
        }

        String prefix() {
            return ObjectLayout.collectionFolder(id);
        }

        /** Version 1 writes every id; later versions rewrite {@code changedIds} and, if asked, the tags file. */
        long commit(Collection<Integer> changedIds, boolean changeTags, long logCursor) {
            long v = version + 1;
            Map<Long, Long> ids = new TreeMap<>(version == 0 ? Map.of() : idsOf.get(version));
            BlockfileWriter<Long> idsWriter;
            List<Integer> toWrite = new ArrayList<>();
            if (version == 0) {
                idsWriter = BlockfileWriter.create(cache, prefix(), ValueType.LONG, TARGET_BLOCK_BYTES);
                for (int i = 0; i < IDS; i++) {
                    toWrite.add(i);
                }
            } else {
                idsWriter = BlockfileWriter.fork(cache, idsRoot, ValueType.LONG, TARGET_BLOCK_BYTES);
                toWrite.addAll(changedIds);
            }
            for (int i : toWrite) {
                idsWriter.set("id", (long) i, v);
                ids.put((long) i, v);
            }
            Set<String> named = new HashSet<>();
            CommitResult idsCommit = idsWriter.commit();
            idsRoot = idsCommit.rootKey();
            named.addAll(objectsOf(idsCommit));
            if (version == 0 || changeTags) {
                BlockfileWriter<String> tags = version == 0
                        ? BlockfileWriter.create(cache, prefix(), ValueType.STRING, TARGET_BLOCK_BYTES)
                        : BlockfileWriter.fork(cache, tagsRoot, ValueType.STRING, TARGET_BLOCK_BYTES);
                tags.set("tag", "t" + (v % 7), "v" + v);
                CommitResult tagsCommit = tags.commit();
                tagsRoot = tagsCommit.rootKey();
                tagsObjects = objectsOf(tagsCommit);
            }
            named.addAll(tagsObjects); // an unchanged blockfile keeps its root: the version shares it whole
            String index = prefix() + "i/" + UUID.randomUUID() + "/hnsw.bin";
            store.put(index, ("index of version " + v).getBytes(StandardCharsets.UTF_8));
            named.add(index);
            VersionManifest m = new VersionManifest(VersionManifest.FORMAT, id, v, logCursor,
                    System.currentTimeMillis(), null, ids.size(), ids.size(),
                    Map.of("record.ids", idsRoot, "metadata.tags", tagsRoot), List.of(index), Map.of());
            store.put(m.objectKey(), m.encode());
            named.add(m.objectKey());
            catalog.commitVersion(id, version, v, m.objectKey(), logCursor);
            version = v;
            objectsOf.put(v, named);
            idsOf.put(v, ids);
            idsRootOf.put(v, idsRoot);
            return v;
        }

        private Set<String> objectsOf(CommitResult c) {
            Set<String> keys = new HashSet<>(c.writtenBlockKeys());
            keys.addAll(c.sharedBlockKeys());
            keys.add(c.rootKey());
            return keys;
        }

        long version() {
            return version;
        }

        /** Every object version {@code v} names, from what the writers reported when it was built. */
        Set<String> objectsOf(long v) {
            return objectsOf.get(v);
        }

        Set<String> objectsOf(Collection<Long> versions) {
            Set<String> keys = new TreeSet<>();
            versions.forEach(v -> keys.addAll(objectsOf(v)));
            return keys;
        }

        Map<Long, Long> idsOf(long v) {
            return idsOf.get(v);
        }

        String idsRootOf(long v) {
            return idsRootOf.get(v);
        }
    }
}
