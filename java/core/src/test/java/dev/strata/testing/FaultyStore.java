package dev.strata.testing;

import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.RequestStats;
import dev.strata.storage.VersionedBytes;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A store over a real one that counts accepted writes (put, putFile, putIfAbsent, putIfMatch) and, once
 * armed, fails every write from the Nth on (a process that crashed at that write), or every write of
 * chosen keys.
 */
public final class FaultyStore extends ForwardingObjectStore {

    private final AtomicInteger writes = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;
    private volatile Predicate<String> failKeys = key -> false;
    private volatile Predicate<String> errorKeys = key -> false;
    private final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FaultyStore(ObjectStore delegate) {
        super(delegate);
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

    /** Every write of a key that matches throws an OutOfMemoryError (an Error, not an exception) on the caller's thread. */
    public void runOutOfMemoryOnKeys(Predicate<String> keys) {
        errorKeys = keys;
    }

    public void heal() {
        failFrom = Integer.MAX_VALUE;
        failKeys = key -> false;
        errorKeys = key -> false;
    }

    private <T> T write(String key, Supplier<T> op) {
        if (errorKeys.test(key)) {
            throw new OutOfMemoryError("injected: out of memory writing " + key);
        }
        if (writes.get() + 1 >= failFrom || failKeys.test(key)) {
            throw new ObjectStoreException("injected failure at write " + (writes.get() + 1), key);
        }
        // A write the store refuses (a failed precondition) is not counted: it changed nothing.
        T result = op.get();
        writes.incrementAndGet();
        return result;
    }

    /** Writes (plain and conditional) may fail and are counted; get and getRange are recorded as reads. */
    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        return switch (op) {
            case PUT, PUT_CONDITIONAL -> write(key, call);
            case GET, GET_RANGE -> {
                reads.add(key);
                yield call.get();
            }
            default -> call.get();
        };
    }

    /** Keys read with get or getRange, in order. */
    public List<String> reads() {
        return List.copyOf(reads);
    }

    /** A read-for-CAS, not a data read: passed on without being recorded. */
    @Override
    public VersionedBytes getVersioned(String key) {
        return delegate.getVersioned(key);
    }

    @Override
    public String describe() {
        return "faulty " + delegate.describe();
    }
}
