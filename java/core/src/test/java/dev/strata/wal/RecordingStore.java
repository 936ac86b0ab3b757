package dev.strata.wal;

import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** An object store that delays and records every PUT (as a slow S3 would), and can be told to fail them. */
final class RecordingStore extends ForwardingObjectStore {

    private final long putDelayMs;
    final List<String> putKeys = new CopyOnWriteArrayList<>();
    volatile boolean failPuts;

    RecordingStore(ObjectStore inner, long putDelayMs) {
        super(inner);
        this.putDelayMs = putDelayMs;
    }

    /** Plain PUTs (put and putFile) are delayed, may fail, and are recorded; conditional ones pass. */
    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        if (op != RequestStats.Op.PUT) {
            return call.get();
        }
        try {
            Thread.sleep(putDelayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failPuts) {
            throw new ObjectStoreException("injected PUT failure", key);
        }
        T etag = call.get();
        putKeys.add(key);
        return etag;
    }

    @Override
    public String describe() {
        return "recording(" + delegate.describe() + ")";
    }
}
