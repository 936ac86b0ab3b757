package dev.strata.wal;

import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A node's worth of log state in one folder: RocksDB index, local object store, wal folder. */
final class WalFixture implements AutoCloseable {

    final Path root;
    final LocalKv kv;
    final ObjectStore store;
    final WriteAheadLog wal;

    private WalFixture(Path root, LocalKv kv, ObjectStore store, WriteAheadLog wal) {
        this.root = root;
        this.kv = kv;
        this.store = store;
        this.wal = wal;
    }

    /** Opens the log of node folder {@code root} over {@code store}. */
    static WalFixture open(Path root, ObjectStore store, WalOptions options) {
        LocalKv kv = LocalKv.open(root.resolve("catalog"), List.of(WriteAheadLog.KV_FAMILY));
        try {
            return new WalFixture(root, kv, store, WriteAheadLog.open(root.resolve("wal"), kv, store, options));
        } catch (RuntimeException e) {
            kv.close();
            throw e;
        }
    }

    /** As {@link #open(Path, ObjectStore, WalOptions)}, a new node looking in the store for these logs only. */
    static WalFixture open(Path root, ObjectStore store, WalOptions options, java.util.Collection<String> storeLogs) {
        LocalKv kv = LocalKv.open(root.resolve("catalog"), List.of(WriteAheadLog.KV_FAMILY));
        try {
            return new WalFixture(root, kv, store, WriteAheadLog.open(root.resolve("wal"), kv, store, options, storeLogs));
        } catch (RuntimeException e) {
            kv.close();
            throw e;
        }
    }

    /** Opens the log of node folder {@code root} with its own local object store in {@code root/objects}. */
    static WalFixture open(Path root, WalOptions options) {
        return open(root, new LocalObjectStore(root.resolve("objects")), options);
    }

    Path walDir() {
        return root.resolve("wal");
    }

    static byte[] payload(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(LogRecord r) {
        return new String(r.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        wal.close();
        kv.close();
    }
}
