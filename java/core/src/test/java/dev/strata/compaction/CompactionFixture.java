package dev.strata.compaction;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.segment.CompactedVersion;
import dev.strata.segment.CompactedVersions;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.LogMaterializer;
import dev.strata.segment.Record;
import dev.strata.segment.RecordChange;
import dev.strata.segment.VectorIndexes;
import dev.strata.segment.VersionPins;
import dev.strata.segment.VersionView;
import dev.strata.segment.VersionWriter;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.testing.FaultyStore;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A node's worth of state in one folder: local object store (objects/), RocksDB with the catalog and
 * log families, the log, and the compactor. Reopening gives a node that knows only what the folder
 * holds. Blockfile, index and catalog writes go through a {@link FaultyStore}; the log has its own.
 */
final class CompactionFixture implements AutoCloseable {

    final Path root;
    final LocalObjectStore objects;
    final FaultyStore store;
    final LocalKv kv;
    final Catalog catalog;
    final WriteAheadLog wal;
    final BlockCache cache;
    final VectorIndexes indexes;
    final VersionPins pins = new VersionPins();
    final CompactedVersions versions;
    final Compactor compactor;

    CompactionFixture(Path root) {
        this(root, Compactor.STEP_BYTES);
    }

    /** A node whose compactor folds at most about {@code stepBytes} of log into each version. */
    CompactionFixture(Path root, long stepBytes) {
        this.root = root;
        this.objects = new LocalObjectStore(root.resolve("objects"));
        this.store = new FaultyStore(objects);
        this.kv = LocalKv.open(root.resolve("kv"), List.of(Catalog.KV_FAMILY, WriteAheadLog.KV_FAMILY));
        this.catalog = Catalog.open(kv, store, CatalogOptions.defaults());
        this.wal = WriteAheadLog.open(root.resolve("wal"), kv, objects, WalOptions.defaults().withSegmentBytes(1024));
        this.cache = new BlockCache(store, 32L << 20);
        this.indexes = new VectorIndexes(store, root.resolve("cache").resolve("hnsw"));
        this.versions = new CompactedVersions(cache, indexes, pins);
        this.compactor = new Compactor(catalog, wal, versions, new VersionWriter(cache, indexes, 8192), stepBytes);
    }

    UUID createCollection(String name, Map<String, Object> configuration) {
        try {
            catalog.getTenant("t");
        } catch (dev.strata.catalog.NotFoundException e) {
            catalog.createTenant("t");
            catalog.createDatabase("t", "d");
        }
        return catalog.createCollection("t", "d", name, null, configuration, null).id();
    }

    long append(UUID collection, LogBatch batch) {
        return wal.append(Compactor.logName(collection), LogBatchCodec.encode(batch));
    }

    /** The collection's current version, opened; the caller closes it. Version 0: null. */
    CompactedVersion current(UUID collection) {
        CollectionRecord r = catalog.getCollection(collection);
        return r.version() == 0 ? null : versions.open(r.versionKey());
    }

    /** Every record of the current version, by id. */
    Map<String, Record> records(UUID collection) {
        try (CompactedVersion v = current(collection)) {
            return v == null ? Map.of() : readAll(v);
        }
    }

    static Map<String, Record> readAll(VersionView v) {
        Map<String, Record> out = new LinkedHashMap<>();
        for (Record r : v.read(v.liveOffsets().toArray(), VersionView.Fields.ALL)) {
            out.put(r.id(), r);
        }
        return out;
    }

    /** Applies a batch to a reference map of records with the model's own rules. */
    static void applyTo(Map<String, Record> reference, LogBatch batch) {
        for (RecordChange c : LogMaterializer.materialize(reference::get, List.of(batch))) {
            switch (c) {
                case RecordChange.Insert i -> reference.put(i.id(), i.record());
                case RecordChange.Replace r -> reference.put(r.id(), r.record());
                case RecordChange.Delete d -> reference.remove(d.id());
            }
        }
    }

    @Override
    public void close() {
        wal.close();
        catalog.close();
        indexes.close();
        cache.close();
        kv.close();
        objects.close();
    }
}
