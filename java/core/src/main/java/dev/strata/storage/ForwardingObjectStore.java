package dev.strata.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} that passes every request to another one through a single hook, so
 * decorators (latency, faults) add behaviour per request and per operation type in one place.
 * Stats are the wrapped store's: a decorator adds no requests of its own.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

    protected final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** Sends one request of type {@code op} concerning {@code key}: {@code call} runs it on the wrapped store. */
    protected abstract <T> T request(RequestStats.Op op, String key, Supplier<T> call);

    public ObjectStore delegate() {
        return delegate;
    }

    @Override
    public byte[] get(String key) {
        return request(RequestStats.Op.GET, key, () -> delegate.get(key));
    }

    @Override
    public VersionedBytes getVersioned(String key) {
        return request(RequestStats.Op.GET, key, () -> delegate.getVersioned(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return request(RequestStats.Op.GET_RANGE, key, () -> delegate.getRange(key, offset, length));
    }

    @Override
    public int getRange(String key, long offset, java.nio.ByteBuffer into) {
        return request(RequestStats.Op.GET_RANGE, key, () -> delegate.getRange(key, offset, into));
    }

    @Override
    public Optional<ObjectMeta> head(String key) {
        return request(RequestStats.Op.HEAD, key, () -> delegate.head(key));
    }

    @Override
    public String put(String key, byte[] data) {
        return request(RequestStats.Op.PUT, key, () -> delegate.put(key, data));
    }

    @Override
    public String putFile(String key, Path file) {
        return request(RequestStats.Op.PUT, key, () -> delegate.putFile(key, file));
    }

    @Override
    public void putImmutableFile(String key, Path file) {
        request(RequestStats.Op.PUT, key, () -> {
            delegate.putImmutableFile(key, file);
            return null;
        });
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return request(RequestStats.Op.PUT_CONDITIONAL, key, () -> delegate.putIfAbsent(key, data));
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return request(RequestStats.Op.PUT_CONDITIONAL, key, () -> delegate.putIfMatch(key, data, etag));
    }

    @Override
    public void delete(String key) {
        request(RequestStats.Op.DELETE, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public List<ObjectMeta> list(String prefix) {
        return request(RequestStats.Op.LIST, prefix, () -> delegate.list(prefix));
    }

    @Override
    public RequestStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public boolean conditionalWrites() {
        return delegate.conditionalWrites();
    }
}
