package dev.strata.ops;

import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.CommitResult;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Space;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectStores;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A node folder holding real data, as the engine lays it out: a catalog with two collections in two
 * tenants; collection {@code docs} (dimension 4) with two compacted versions (v1: cursor 3, v2: cursor 6)
 * whose id blockfiles share blocks copy-on-write, a vector blockfile and a saved HNSW index file, and a
 * log sealed in three segment objects (1-3, 4-6, 7-8); collection {@code empty} never compacted.
 */
public final class OpsFixture implements AutoCloseable {

    public static final int DIMENSION = 4;
    public static final int RECORDS_V1 = 40;

    public final Path node;
    public final LocalObjectStore store;
    public UUID docs;
    public UUID empty;
    public String idsRootV1;
    public String idsRootV2;
    public String vectorsRoot;
    public List<String> idsBlocksV2;
    public String indexKey;
    public String manifestV1;
    public String manifestV2;

    private OpsFixture(Path node) {
        this.node = node;
        this.store = new LocalObjectStore(node.resolve(ObjectStores.LOCAL_OBJECTS_DIR));
    }

    public static OpsFixture build(Path node) {
        OpsFixture f = new OpsFixture(node);
        try {
            f.populate();
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void populate() {
        try (LocalKv kv = LocalKv.open(node.resolve("catalog"), List.of(Catalog.KV_FAMILY, WriteAheadLog.KV_FAMILY));
             Catalog catalog = Catalog.open(kv, store, CatalogOptions.defaults());
             BlockCache cache = new BlockCache(store, 16L << 20)) {
            CollectionRecord d = catalog.createCollection("default_tenant", "default_database", "docs", Map.of(),
                    Map.of(), DIMENSION);
            catalog.createTenant("acme");
            catalog.createDatabase("acme", "prod");
            empty = catalog.createCollection("acme", "prod", "empty", Map.of("k", "v"), Map.of(), null).id();
            docs = d.id();
            String id = docs.toString();
            String prefix = ObjectLayout.collectionFolder(docs);
            appendLog(kv, id, 3);
            appendLog(kv, id, 3);
            appendLog(kv, id, 2);

            BlockfileWriter<Long> ids = BlockfileWriter.create(cache, prefix, ValueType.LONG, 256);
            BlockfileWriter<float[]> vectors = BlockfileWriter.create(cache, prefix, ValueType.floatVector(DIMENSION), 512);
            float[][] vs = new float[RECORDS_V1][];
            long[] labels = new long[RECORDS_V1];
            for (int i = 0; i < RECORDS_V1; i++) {
                vs[i] = new float[] {i, i * 0.5f, -i, 1};
                labels[i] = i;
                ids.set("", "id-" + i, (long) i);
                vectors.set("", (long) i, vs[i]);
            }
            idsRootV1 = ids.commit().rootKey();
            vectorsRoot = vectors.commit().rootKey();
            indexKey = prefix + "i/" + UUID.randomUUID() + "/hnsw.bin";
            saveIndex(indexKey, labels, vs);
            manifestV1 = writeManifest(1, 3, RECORDS_V1, Map.of("record.ids", idsRootV1, "record.vectors", vectorsRoot));
            catalog.commitVersion(docs, 0, 1, manifestV1, 3);

            CommitResult v2 = BlockfileWriter.fork(cache, idsRootV1, ValueType.LONG, 256).set("", "id-zz", 99L).commit();
            idsRootV2 = v2.rootKey();
            idsBlocksV2 = Stream.concat(v2.writtenBlockKeys().stream(), v2.sharedBlockKeys().stream()).toList();
            manifestV2 = writeManifest(2, 6, RECORDS_V1 + 1, Map.of("record.ids", idsRootV2, "record.vectors", vectorsRoot));
            catalog.commitVersion(docs, 1, 2, manifestV2, 6);
        }
    }

    /** Appends {@code n} records and closes the log, which seals and uploads them as one segment object. */
    private void appendLog(LocalKv kv, String collection, int n) {
        try (WriteAheadLog wal = WriteAheadLog.open(node.resolve("wal"), kv, store, WalOptions.defaults())) {
            for (int i = 0; i < n; i++) {
                wal.append(collection, ("record " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void saveIndex(String key, long[] labels, float[][] vectors) {
        try (HnswIndex index = HnswIndex.create(Space.L2, DIMENSION)) {
            index.add(labels, vectors);
            Path file = Files.createTempFile(node, "index", ".bin");
            index.save(file);
            store.putFile(key, file);
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String writeManifest(long version, long cursor, int count, Map<String, String> roots) {
        VersionManifest m = new VersionManifest(VersionManifest.FORMAT, docs, version, cursor, System.currentTimeMillis(),
                DIMENSION, count, count, roots, List.of(indexKey), Map.of("space", "l2", "dimension", DIMENSION));
        store.put(m.objectKey(), m.encode());
        return m.objectKey();
    }

    /** Deletes a collection in the catalog, leaving its objects for GC. */
    public void dropCollection(UUID id) {
        try (LocalKv kv = LocalKv.open(node.resolve("catalog"), List.of(Catalog.KV_FAMILY, WriteAheadLog.KV_FAMILY));
             Catalog catalog = Catalog.open(kv, store, CatalogOptions.defaults())) {
            catalog.deleteCollection(id);
        }
    }

    public String segment(long first, long last) {
        return new LogSegment(docs.toString(), first, last).key();
    }

    /** The file of an object of the store. */
    public Path file(String key) {
        return store.root().resolve(key);
    }

    /** Flips one bit of the object's middle byte, in place, as disk or network damage would. */
    public void flipByte(String key) {
        try {
            byte[] b = Files.readAllBytes(file(key));
            b[b.length / 2] ^= 0x10;
            Files.write(file(key), b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
