package dev.strata.testing;

import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import dev.strata.storage.VersionedBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store over a real one that counts writes (put, putFile, putIfAbsent, putIfMatch) and, once armed,
 * fails every write from the Nth on: a process that crashed at that write.
 */
public final class FaultyStore implements ObjectStore {

    private final ObjectStore delegate;
    private final AtomicInteger writes = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;

    public FaultyStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** Writes so far. */
    public int writes() {
        return writes.get();
    }

    /** Fails the {@code n}th write from now (1 = the next) and every write after it. */
    public void failFromWrite(int n) {
        failFrom = writes.get() + n;
    }

    public void heal() {
        failFrom = Integer.MAX_VALUE;
    }

    private void write(String key) {
        if (writes.incrementAndGet() >= failFrom) {
            throw new ObjectStoreException("injected failure at write " + writes.get(), key);
        }
    }

    @Override
    public String put(String key, byte[] data) {
        write(key);
        return delegate.put(key, data);
    }

    @Override
    public String putFile(String key, Path file) {
        write(key);
        return delegate.putFile(key, file);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        write(key);
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        write(key);
        return delegate.putIfMatch(key, data, etag);
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
        return "faulty " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
