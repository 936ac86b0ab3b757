package dev.strata.jmh.cold;

import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import dev.strata.storage.VersionedBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records every request's op, key, start and end (System.nanoTime) and the bytes it returned, failed ones
 * included (as op "GET!" etc.), so a benchmark can count sequential round trips. Outermost decorator:
 * the recorded interval includes any injected latency.
 */
public final class RecordingObjectStore extends ForwardingObjectStore {

    private final List<RoundTrips.Request> requests = new ArrayList<>();

    public RecordingObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            add(new RoundTrips.Request(op.name() + "!", key, start, System.nanoTime(), 0));
            throw e;
        }
        add(new RoundTrips.Request(op.name(), key, start, System.nanoTime(), bytesOf(result)));
        return result;
    }

    private static long bytesOf(Object result) {
        return switch (result) {
            case byte[] b -> b.length;
            case VersionedBytes v -> v.data().length;
            case Integer n -> n; // a ranged read into a buffer
            case null, default -> 0;
        };
    }

    private synchronized void add(RoundTrips.Request r) {
        requests.add(r);
    }

    /** The requests recorded so far, in completion order. */
    public synchronized List<RoundTrips.Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that started at or after {@code nanos}. */
    public synchronized List<RoundTrips.Request> since(long nanos) {
        return requests.stream().filter(r -> r.startNanos() >= nanos).toList();
    }

    @Override
    public String describe() {
        return "recording over " + delegate.describe();
    }
}
