package dev.strata.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.storage.LocalKv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The node's copy of the manifest in RocksDB (column family {@value #FAMILY}), one JSON value per entry, so
 * a change rewrites only the entries it touched. Keys: {@code meta}, {@code t/<tenant>},
 * {@code d/<tenant>\0<db>}, {@code c/<collection id>}, {@code x/<dropped collection id>}. The meta entry
 * holds the manifest generation and ETag the copy corresponds to; every write is fsync'd.
 */
final class LocalCatalogCopy {
    static final String FAMILY = "catalog";

    private static final String META = "meta";
    private static final String TENANT = "t/";
    private static final String DATABASE = "d/";
    private static final String COLLECTION = "c/";
    private static final String DROPPED = "x/";

    record Meta(long generation, long nextOrdinal, String etag, Long writerEpoch,
                Map<String, List<LogTakeover>> logTakeovers) {}

    record Loaded(CatalogState state, String etag) {}

    private final LocalKv kv;
    private final ColumnFamilyHandle cf;

    LocalCatalogCopy(LocalKv kv) {
        this.kv = kv;
        this.cf = kv.family(FAMILY);
    }

    /** The copy, or empty when this node has none (new or wiped {@code {path}}). */
    Optional<Loaded> load() {
        try {
            byte[] metaBytes = kv.db().get(cf, bytes(META));
            if (metaBytes == null) {
                return Optional.empty();
            }
            Meta meta = CatalogJson.MAPPER.readValue(metaBytes, Meta.class);
            List<Tenant> tenants = new ArrayList<>();
            List<Database> databases = new ArrayList<>();
            List<CollectionEntry> collections = new ArrayList<>();
            List<DroppedCollection> dropped = new ArrayList<>();
            try (RocksIterator it = kv.db().newIterator(cf)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String key = new String(it.key(), StandardCharsets.UTF_8);
                    byte[] value = it.value();
                    if (key.startsWith(TENANT)) {
                        tenants.add(CatalogJson.MAPPER.readValue(value, Tenant.class));
                    } else if (key.startsWith(DATABASE)) {
                        databases.add(CatalogJson.MAPPER.readValue(value, Database.class));
                    } else if (key.startsWith(COLLECTION)) {
                        collections.add(CatalogJson.MAPPER.readValue(value, CollectionEntry.class));
                    } else if (key.startsWith(DROPPED)) {
                        dropped.add(CatalogJson.MAPPER.readValue(value, DroppedCollection.class));
                    }
                }
            }
            CatalogState state = CatalogState.of(meta.generation(), meta.nextOrdinal(), tenants, databases,
                    collections, dropped).withWriter(meta.writerEpoch(), meta.logTakeovers());
            return Optional.of(new Loaded(state, meta.etag()));
        } catch (RocksDBException | IOException | RuntimeException e) {
            // The local copy is only a cache of the manifest: an unreadable one is rebuilt, never trusted.
            return Optional.empty();
        }
    }

    /** Replaces the whole copy with {@code state} (a rebuild from the manifest). */
    void replaceAll(CatalogState state, String etag) {
        try (WriteBatch batch = new WriteBatch()) {
            try (RocksIterator it = kv.db().newIterator(cf)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    batch.delete(cf, it.key());
                }
            }
            for (Tenant t : state.tenants.values()) {
                batch.put(cf, bytes(TENANT + t.name()), json(t));
            }
            for (Database d : state.databases.values()) {
                batch.put(cf, databaseKey(new CatalogState.DbKey(d.tenant(), d.name())), json(d));
            }
            for (Map.Entry<UUID, CollectionEntry> e : state.collections.entrySet()) {
                batch.put(cf, bytes(COLLECTION + e.getKey()), json(e.getValue()));
            }
            for (Map.Entry<UUID, DroppedCollection> e : state.dropped.entrySet()) {
                batch.put(cf, bytes(DROPPED + e.getKey()), json(e.getValue()));
            }
            putMeta(batch, state, etag);
            kv.db().write(kv.syncWrite(), batch);
        } catch (RocksDBException e) {
            throw new CatalogException("cannot write the local catalog copy: " + e.getMessage(), e);
        }
    }

    /** Writes the entries {@code state} records as changed since it was copied. */
    void applyChanges(CatalogState state, String etag) {
        try (WriteBatch batch = new WriteBatch()) {
            for (String name : state.changedTenants) {
                Tenant t = state.tenants.get(name);
                putOrDelete(batch, bytes(TENANT + name), t);
            }
            for (CatalogState.DbKey key : state.changedDatabases) {
                putOrDelete(batch, databaseKey(key), state.databases.get(key));
            }
            for (UUID id : state.changedCollections) {
                putOrDelete(batch, bytes(COLLECTION + id), state.collections.get(id));
            }
            for (UUID id : state.changedDropped) {
                putOrDelete(batch, bytes(DROPPED + id), state.dropped.get(id));
            }
            putMeta(batch, state, etag);
            kv.db().write(kv.syncWrite(), batch);
        } catch (RocksDBException e) {
            throw new CatalogException("cannot write the local catalog copy: " + e.getMessage(), e);
        }
    }

    private void putOrDelete(WriteBatch batch, byte[] key, Object value) throws RocksDBException {
        if (value == null) {
            batch.delete(cf, key);
        } else {
            batch.put(cf, key, json(value));
        }
    }

    private void putMeta(WriteBatch batch, CatalogState state, String etag) throws RocksDBException {
        batch.put(cf, bytes(META), json(new Meta(state.generation, state.nextOrdinal, etag, state.writerEpoch,
                state.logTakeovers)));
    }

    private static byte[] databaseKey(CatalogState.DbKey key) {
        return bytes(DATABASE + key.tenant() + '\0' + key.name());
    }

    private static byte[] json(Object value) {
        try {
            return CatalogJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new CatalogException("cannot encode a catalog entry", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
