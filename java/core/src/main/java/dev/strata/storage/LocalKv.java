package dev.strata.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The node's local key-value store: one RocksDB under {@code {path}/catalog} shared by the layers
 * that keep local state (catalog cache, log index, cursors), each in its own column family. It is a
 * cache of what the object store holds plus the log index of unsynced segments: losing it loses at
 * most what the write-ahead log had not yet uploaded.
 */
public final class LocalKv implements AutoCloseable {

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions syncWrite;
    private boolean closed;

    private LocalKv(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                    List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles = handles;
        for (int i = 0; i < descriptors.size(); i++) {
            families.put(new String(descriptors.get(i).getName(), java.nio.charset.StandardCharsets.UTF_8),
                    handles.get(i));
        }
        this.syncWrite = new WriteOptions().setSync(true);
    }

    /** Opens (creating when absent) the store in {@code dir} with at least the named column families. */
    public static LocalKv open(Path dir, List<String> familyNames) {
        return open(dir, familyNames, null);
    }

    /**
     * As {@link #open(Path, List)}, loading RocksDB's native library (the first time in this JVM) from a copy kept in
     * {@code nativeDir} (null: RocksDB's own loader, which unpacks it into the temporary folder).
     */
    public static LocalKv open(Path dir, List<String> familyNames, Path nativeDir) {
        if (nativeDir != null) {
            KvNativeLibrary.load(nativeDir);
        } else {
            RocksDB.loadLibrary();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create " + dir, null, e);
        }
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        Set<String> names = new LinkedHashSet<>();
        names.add("default");
        try (org.rocksdb.Options listOptions = new org.rocksdb.Options()) {
            for (byte[] existing : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
                names.add(new String(existing, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (RocksDBException e) {
            // a new store has no column families to list
        }
        names.addAll(familyNames);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String n : names) {
            descriptors.add(new ColumnFamilyDescriptor(n.getBytes(java.nio.charset.StandardCharsets.UTF_8), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new LocalKv(db, dbOptions, cfOptions, descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new ObjectStoreException("cannot open local store in " + dir + ": " + e.getMessage(), null, e);
        }
    }

    public RocksDB db() {
        return db;
    }

    /** The handle of a column family named at open. */
    public ColumnFamilyHandle family(String name) {
        ColumnFamilyHandle h = families.get(name);
        if (h == null) {
            throw new IllegalArgumentException("column family not opened: " + name);
        }
        return h;
    }

    /** What RocksDB holds in memory now; zeros for a figure it cannot give, and once closed. */
    public synchronized KvMemory memory() {
        if (closed) {
            return new KvMemory(0, 0, 0); // the native handle is gone: reading it would crash the JVM
        }
        return new KvMemory(aggregated("rocksdb.cur-size-all-mem-tables"), property("rocksdb.block-cache-usage"),
                aggregated("rocksdb.estimate-table-readers-mem"));
    }

    /** A property summed over the column families. */
    private long aggregated(String name) {
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            return 0;
        }
    }

    /** A property of the default column family: the block cache is one, shared by all families, so not summed. */
    private long property(String name) {
        try {
            return db.getLongProperty(name);
        } catch (RocksDBException e) {
            return 0;
        }
    }

    /** Write options that fsync the RocksDB log before returning. */
    public WriteOptions syncWrite() {
        return syncWrite;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        syncWrite.close();
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        dbOptions.close();
        cfOptions.close();
    }
}
