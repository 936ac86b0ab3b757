package dev.strata.storage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adds a fixed delay before every request, per operation type: a local folder that answers like
 * S3 (tens of milliseconds to first byte) for benchmarks that count round trips of a cold query.
 */
public final class LatencyInjectingObjectStore extends ForwardingObjectStore {

    /** How the delay is spent; tests record it instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Map<RequestStats.Op, Duration> latency;
    private final Sleeper sleeper;

    /** The same delay before every request of every type. */
    public LatencyInjectingObjectStore(ObjectStore delegate, Duration perRequest) {
        this(delegate, uniform(perRequest), Thread::sleep);
    }

    /** A delay per operation type; types not in the map get none. */
    public LatencyInjectingObjectStore(ObjectStore delegate, Map<RequestStats.Op, Duration> perOp, Sleeper sleeper) {
        super(delegate);
        this.latency = new EnumMap<>(RequestStats.Op.class);
        perOp.forEach((op, d) -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("latency of " + op + " must not be negative: " + d);
            }
            latency.put(op, d);
        });
        this.sleeper = sleeper;
    }

    private static Map<RequestStats.Op, Duration> uniform(Duration d) {
        Map<RequestStats.Op, Duration> m = new EnumMap<>(RequestStats.Op.class);
        for (RequestStats.Op op : RequestStats.Op.values()) {
            m.put(op, d);
        }
        return m;
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        Duration d = latency.getOrDefault(op, Duration.ZERO);
        if (!d.isZero()) {
            try {
                sleeper.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ObjectStoreException("interrupted during injected latency", key, e);
            }
        }
        return call.get();
    }

    @Override
    public String describe() {
        return "latency" + latency + " over " + delegate.describe();
    }
}
