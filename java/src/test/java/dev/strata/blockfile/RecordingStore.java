package dev.strata.blockfile;

import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import dev.strata.storage.VersionedBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A store that records the order of puts and can fail the puts of chosen keys, over a real store. */
final class RecordingStore implements ObjectStore {

    private final ObjectStore delegate;
    final List<String> putKeys = new CopyOnWriteArrayList<>();
    volatile Predicate<String> failPut = key -> false;

    RecordingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String put(String key, byte[] data) {
        if (failPut.test(key)) {
            throw new ObjectStoreException("injected put failure", key);
        }
        String etag = delegate.put(key, data);
        putKeys.add(key);
        return etag;
    }

    @Override
    public byte[] get(String key) {
        return delegate.get(key);
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        return delegate.getVersioned(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return delegate.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectMeta> head(String key) {
        return delegate.head(key);
    }

    @Override
    public String putFile(String key, Path file) {
        return delegate.putFile(key, file);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return delegate.putIfMatch(key, data, etag);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public List<ObjectMeta> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public RequestStats stats() {
        return delegate.stats();
    }

    @Override
    public String describe() {
        return "recording " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
