package dev.strata.wal;

import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import dev.strata.storage.VersionedBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An object store that delays and records every PUT (as a slow S3 would), and can be told to fail them. */
final class RecordingStore implements ObjectStore {

    private final ObjectStore inner;
    private final long putDelayMs;
    final List<String> putKeys = new CopyOnWriteArrayList<>();
    volatile boolean failPuts;

    RecordingStore(ObjectStore inner, long putDelayMs) {
        this.inner = inner;
        this.putDelayMs = putDelayMs;
    }

    private void beforePut(String key) {
        try {
            Thread.sleep(putDelayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failPuts) {
            throw new ObjectStoreException("injected PUT failure", key);
        }
    }

    @Override
    public String put(String key, byte[] data) {
        beforePut(key);
        String etag = inner.put(key, data);
        putKeys.add(key);
        return etag;
    }

    @Override
    public String putFile(String key, Path file) {
        beforePut(key);
        String etag = inner.putFile(key, file);
        putKeys.add(key);
        return etag;
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        return inner.getVersioned(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return inner.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectMeta> head(String key) {
        return inner.head(key);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return inner.putIfAbsent(key, data);
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return inner.putIfMatch(key, data, etag);
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public List<ObjectMeta> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public RequestStats stats() {
        return inner.stats();
    }

    @Override
    public String describe() {
        return "recording(" + inner.describe() + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
