package dev.strata.blockfile;

import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A store that records the order of puts and can fail the puts of chosen keys, over a real store. */
final class RecordingStore extends ForwardingObjectStore {

    final List<String> putKeys = new CopyOnWriteArrayList<>();
    volatile Predicate<String> failPut = key -> false;

    RecordingStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        return call.get();
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
    public String describe() {
        return "recording " + delegate.describe();
    }
}
