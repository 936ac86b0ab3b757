package dev.strata.catalog;

import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A node's folders for tests: {@code objects/} plays the bucket, {@code <node>/catalog} is its RocksDB. */
final class CatalogFixture implements AutoCloseable {
    final Path root;
    final LocalObjectStore store;
    private final String node;
    private LocalKv kv;
    private boolean ownsStore;

    CatalogFixture(Path root, String node) {
        this(root, node, new LocalObjectStore(root.resolve("objects")));
        ownsStore = true;
    }

    /** A second node on the same bucket (one store instance: in one JVM its file lock cannot be shared). */
    CatalogFixture(Path root, String node, LocalObjectStore store) {
        this.root = root;
        this.node = node;
        this.store = store;
    }

    /** Another node on the same bucket. */
    CatalogFixture peer(String otherNode) {
        return new CatalogFixture(root, otherNode, store);
    }

    Path kvDir() {
        return root.resolve(node).resolve("catalog");
    }

    Catalog open() {
        return open(null);
    }

    Catalog open(WriterLease lease) {
        return Catalog.open(kv(), store, CatalogOptions.defaults(), lease);
    }

    Catalog openReadOnly() {
        return Catalog.openReadOnly(kv(), store, CatalogOptions.defaults());
    }

    private LocalKv kv() {
        if (kv == null) {
            kv = LocalKv.open(kvDir(), List.of(Catalog.KV_FAMILY));
        }
        return kv;
    }

    /** Closes RocksDB so the node can be reopened (or its folder wiped). */
    void closeKv() {
        if (kv != null) {
            kv.close();
            kv = null;
        }
    }

    void wipeLocal() {
        closeKv();
        try (Stream<Path> files = Files.walk(root.resolve(node))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeKv();
        if (ownsStore) {
            store.close();
        }
    }
}
