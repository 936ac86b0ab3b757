package dev.strata.storage;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests and bytes per operation type. Part of the API: benchmarks report object-store calls per
 * query from these counts, so every implementation records each request it sends (retries included).
 */
public final class RequestStats {

    /** The kinds of request an object store sends. */
    public enum Op { GET, GET_RANGE, HEAD, PUT, PUT_CONDITIONAL, DELETE, LIST }

    private final Map<Op, LongAdder> requests = new EnumMap<>(Op.class);
    private final Map<Op, LongAdder> bytes = new EnumMap<>(Op.class);

    public RequestStats() {
        for (Op op : Op.values()) {
            requests.put(op, new LongAdder());
            bytes.put(op, new LongAdder());
        }
    }

    /** Records one request of {@code op} that moved {@code byteCount} bytes of payload. */
    public void record(Op op, long byteCount) {
        requests.get(op).increment();
        bytes.get(op).add(byteCount);
    }

    /**
     * Adds payload bytes to {@code op} without counting a request: for stores that count each
     * attempt where it is sent and the bytes once the logical request succeeded.
     */
    public void addBytes(Op op, long byteCount) {
        bytes.get(op).add(byteCount);
    }

    public long requests(Op op) {
        return requests.get(op).sum();
    }

    public long bytes(Op op) {
        return bytes.get(op).sum();
    }

    /** All requests of every type. */
    public long totalRequests() {
        long total = 0;
        for (LongAdder a : requests.values()) {
            total += a.sum();
        }
        return total;
    }

    /** A point-in-time copy of the request counts, for differences around an operation. */
    public Map<Op, Long> snapshot() {
        Map<Op, Long> copy = new EnumMap<>(Op.class);
        requests.forEach((op, a) -> copy.put(op, a.sum()));
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RequestStats{");
        for (Op op : Op.values()) {
            sb.append(op).append('=').append(requests(op)).append('/').append(bytes(op)).append("B ");
        }
        return sb.append('}').toString();
    }
}
