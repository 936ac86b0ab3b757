package dev.strata.storage;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Makes requests fail the ways S3 does, at a configurable rate per operation type, from a seeded
 * random sequence (the same seed and request order give the same faults). For fault tests of the
 * layers above: log upload, compaction, catalog CAS.
 *
 * <p>Faults that S3 returns before acting (500, 503, SlowDown) fail without reaching the wrapped
 * store. A timeout or a connection reset leaves the outcome unknown to the client, so those run
 * the request first and then fail: a write may have happened although the caller saw an error.
 */
public final class FaultInjectingObjectStore extends ForwardingObjectStore {

    /** The failure modes injected. */
    public enum Fault {
        INTERNAL_ERROR("HTTP 500 InternalError", false),
        SERVICE_UNAVAILABLE("HTTP 503 ServiceUnavailable", false),
        SLOW_DOWN("HTTP 503 SlowDown", false),
        TIMEOUT("read timed out", true),
        CONNECTION_RESET("connection reset", true);

        private final String description;
        private final boolean appliedBeforeFailing;

        Fault(String description, boolean appliedBeforeFailing) {
            this.description = description;
            this.appliedBeforeFailing = appliedBeforeFailing;
        }

        /** True when the request reaches the store before the client sees the failure. */
        public boolean appliedBeforeFailing() {
            return appliedBeforeFailing;
        }
    }

    /** A failure this store made up; its {@link #fault()} says which. */
    public static final class InjectedFaultException extends ObjectStoreException {
        private final Fault fault;

        InjectedFaultException(Fault fault, RequestStats.Op op, String key) {
            super("injected fault on " + op + ": " + fault.description, key, causeOf(fault));
            this.fault = fault;
        }

        public Fault fault() {
            return fault;
        }

        private static Throwable causeOf(Fault fault) {
            return switch (fault) {
                case TIMEOUT -> new SocketTimeoutException("Read timed out (injected)");
                case CONNECTION_RESET -> new SocketException("Connection reset (injected)");
                default -> null;
            };
        }
    }

    private record Rule(double rate, List<Fault> faults) {}

    private final Random random;
    private final Map<RequestStats.Op, Rule> rules = new EnumMap<>(RequestStats.Op.class);
    private final Map<RequestStats.Op, Queue<Fault>> scheduled = new EnumMap<>(RequestStats.Op.class);
    private final Map<Fault, LongAdder> injectedByFault = new EnumMap<>(Fault.class);
    private final Map<RequestStats.Op, LongAdder> injectedByOp = new EnumMap<>(RequestStats.Op.class);

    public FaultInjectingObjectStore(ObjectStore delegate, long seed) {
        super(delegate);
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            injectedByFault.put(f, new LongAdder());
        }
        for (RequestStats.Op op : RequestStats.Op.values()) {
            injectedByOp.put(op, new LongAdder());
            scheduled.put(op, new ArrayDeque<>());
        }
    }

    /**
     * Fails requests of {@code op} with probability {@code rate}, drawing the fault uniformly from
     * {@code faults}. A rate of 0 stops failing. Returns this store for chaining.
     */
    public synchronized FaultInjectingObjectStore failing(RequestStats.Op op, double rate, Fault... faults) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate must be within [0, 1], got " + rate);
        }
        if (rate > 0 && faults.length == 0) {
            throw new IllegalArgumentException("name at least one fault to inject for " + op);
        }
        rules.put(op, new Rule(rate, List.of(faults)));
        return this;
    }

    /** {@link #failing} for every operation type. */
    public synchronized FaultInjectingObjectStore failingAll(double rate, Fault... faults) {
        for (RequestStats.Op op : RequestStats.Op.values()) {
            failing(op, rate, faults);
        }
        return this;
    }

    /** Fails the next request of {@code op} with {@code fault}, whatever the rate (one-shot, queued in order). */
    public synchronized FaultInjectingObjectStore failNext(RequestStats.Op op, Fault fault) {
        scheduled.get(op).add(fault);
        return this;
    }

    /** Stops all injection, scheduled faults included. */
    public synchronized void heal() {
        rules.clear();
        scheduled.values().forEach(Queue::clear);
    }

    public long injected(Fault fault) {
        return injectedByFault.get(fault).sum();
    }

    public long injected(RequestStats.Op op) {
        return injectedByOp.get(op).sum();
    }

    public long totalInjected() {
        return injectedByFault.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private synchronized Fault draw(RequestStats.Op op) {
        Fault next = scheduled.get(op).poll();
        if (next != null) {
            return next;
        }
        Rule rule = rules.get(op);
        if (rule == null || rule.rate() == 0 || random.nextDouble() >= rule.rate()) {
            return null;
        }
        return rule.faults().get(random.nextInt(rule.faults().size()));
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        Fault fault = draw(op);
        if (fault == null) {
            return call.get();
        }
        injectedByFault.get(fault).increment();
        injectedByOp.get(op).increment();
        if (fault.appliedBeforeFailing()) {
            try {
                call.get();
            } catch (ObjectStoreException ignored) {
                // the client never learns the outcome either way
            }
        }
        throw new InjectedFaultException(fault, op, key);
    }

    @Override
    public String describe() {
        return "faults(" + rules + ") over " + delegate.describe();
    }
}
