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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A store over a real one that counts accepted writes (put, putFile, putIfAbsent, putIfMatch) and, once
 * armed, fails every write from the Nth on (a process that crashed at that write), or every write of
 * chosen keys.
 */
public final class FaultyStore implements ObjectStore {

    private final ObjectStore delegate;
    private final AtomicInteger writes = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;
    private volatile Predicate<String> failKeys = key -> false;
    private final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

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

    /** Fails every write of a key that matches. */
    public void failKeys(Predicate<String> keys) {
        failKeys = keys;
    }

    public void heal() {
        failFrom = Integer.MAX_VALUE;
        failKeys = key -> false;
    }

    private <T> T write(String key, Supplier<T> op) {
        if (writes.get() + 1 >= failFrom || failKeys.test(key)) {
            throw new ObjectStoreException("injected failure at write " + (writes.get() + 1), key);
        }
        // A write the store refuses (a failed precondition) is not counted: it changed nothing.
        T result = op.get();
        writes.incrementAndGet();
        return result;
    }

    @Override
    public String put(String key, byte[] data) {
        return write(key, () -> delegate.put(key, data));
    }

    @Override
    public String putFile(String key, Path file) {
        return write(key, () -> delegate.putFile(key, file));
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return write(key, () -> delegate.putIfAbsent(key, data));
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return write(key, () -> delegate.putIfMatch(key, data, etag));
    }

    /** Keys read with get or getRange, in order. */
    public List<String> reads() {
        return List.copyOf(reads);
    }

    @Override
    public byte[] get(String key) {
        reads.add(key);
        return delegate.get(key);
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        return delegate.getVersioned(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        reads.add(key);
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
