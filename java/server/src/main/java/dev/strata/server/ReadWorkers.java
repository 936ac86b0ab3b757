package dev.strata.server;

import dev.strata.api.Cancellation;
import dev.strata.platform.ThreadPriority;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The platform threads that run reads (get, query, count, a filtered delete's scan). A read can be CPU-bound for
 * seconds (a regex over large documents, a scan of a large log tail); on a virtual thread it would hold one of
 * the few carrier threads (one per core) all that time, and a few of them would stop every other request,
 * heartbeat included. Here the operating system time-slices them with everything else, at most
 * {@code threads} at once, with at most {@code queue} more waiting; past that a read is refused at once with
 * 429 rather than queued without end. The workers run at a lower operating-system priority ({@link #NICE}) than
 * Jetty's threads, so that the heartbeat, health probes and writes are scheduled ahead of CPU-bound reads.
 */
final class ReadWorkers implements AutoCloseable {

    /**
     * The workers' nice value: a nice-0 thread (Jetty's, the writers', GC) gets about ten times their CPU share when
     * both want a core, and is woken ahead of them; with nothing else to run they still get every idle core.
     */
    static final int NICE = ThreadPriority.READS;

    /** How often reads are checked against their deadline: a 408 comes at most this late. */
    static final long SWEEP_MS = 50;

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int queue;
    private final Set<Pending> running = ConcurrentHashMap.newKeySet();
    /** Answers reads past their deadline; a tick, not a timer per read, so that starting a read wakes no thread. */
    private final ScheduledExecutorService sweeper;

    /** {@code queue} 0: no read waits, one that finds every worker busy is refused at once. */
    ReadWorkers(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, waiting,
                ThreadPriority.lowered(Thread.ofPlatform().name("strata-read-", 0).daemon().factory(), NICE));
        pool.allowCoreThreadTimeOut(true);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("strata-read-deadlines")
                .daemon().factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Two per core, at least four: reads also wait on the object store, and a core should not idle meanwhile;
     * more CPU-bound reads at once would only slow each other and everything else down.
     */
    static ReadWorkers forThisMachine() {
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        return new ReadWorkers(threads, 64 * threads);
    }

    /**
     * Starts {@code read} on a worker under {@code cancellation} and returns at once: no thread waits for it. The
     * answer goes to {@code answer} exactly once, on whichever thread has it first:
     * <ul>
     *   <li>what the read returned, or {@code failure} of what it threw (errors included), on the worker;</li>
     *   <li>429 when every worker is busy and the queue is full, on the caller's thread;</li>
     *   <li>408 once {@code waitMs} have passed (time waiting for a free worker included), on the sweeper; the read is
     *       then cancelled and stops at its next check, and what it returns later is dropped.</li>
     * </ul>
     * The request thread hands the read over and the worker writes the answer: the read costs one thread hand-over
     * instead of three (a virtual thread started, a worker woken, the virtual thread woken again): the request time
     * outside the query's stages fell from 260-285 to 160-210 µs at 100k on the 2-core build machine (docs/bench.md,
     * "Over HTTP").
     */
    void start(Supplier<HttpAnswer> read, Cancellation cancellation, long waitMs,
            Function<Throwable, HttpAnswer> failure, Consumer<HttpAnswer> answer) {
        Pending pending = new Pending(cancellation, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs), waitMs,
                failure, answer);
        running.add(pending);
        try {
            pool.execute(() -> {
                HttpAnswer a;
                try {
                    if (cancellation.reason() != null) {
                        // Its client left (or the node began stopping) while it waited: it is not started.
                        throw HttpError.of(ChromaErrors.UNAVAILABLE, "The read was not started: " + cancellation.reason());
                    }
                    a = cancellation.run(read);
                } catch (Throwable t) {
                    a = failure.apply(t);
                }
                pending.answer(a);
            });
        } catch (RejectedExecutionException e) {
            pending.answer(failure.apply(HttpError.of(ChromaErrors.RATE_LIMITED, "Too many reads in progress on this node ("
                    + threads + " running, " + queue + " waiting): retry shortly")));
        }
    }

    /** Answers every read past its deadline with 408 and cancels it; runs on the sweeper every {@link #SWEEP_MS}. */
    private void sweep() {
        long now = System.nanoTime();
        for (Pending p : running) {
            if (now - p.deadline >= 0) {
                p.cancellation.cancel("the read waited and ran longer than " + p.waitMs + " ms");
                p.answer(p.failure.apply(HttpError.of(ChromaErrors.TIMED_OUT, "The read did not finish within " + p.waitMs
                        + " ms (STRATA_QUERY_TIMEOUT_MS, time waiting for a free read worker included) and was stopped;"
                        + " nothing was changed")));
            }
        }
    }

    /** One read started and not yet answered. */
    private final class Pending {
        final Cancellation cancellation;
        final long deadline;
        final long waitMs;
        final Function<Throwable, HttpAnswer> failure;
        final Consumer<HttpAnswer> answer;
        final AtomicBoolean answered = new AtomicBoolean();

        Pending(Cancellation cancellation, long deadline, long waitMs, Function<Throwable, HttpAnswer> failure,
                Consumer<HttpAnswer> answer) {
            this.cancellation = cancellation;
            this.deadline = deadline;
            this.waitMs = waitMs;
            this.failure = failure;
            this.answer = answer;
        }

        /** The first answer wins; later ones (a read answering after its 408) are dropped. */
        void answer(HttpAnswer a) {
            if (answered.compareAndSet(false, true)) {
                running.remove(this);
                answer.accept(a);
            }
        }
    }

    /** Cancels every read in progress (they stop at their next check); how many there were. */
    int cancelAll(String why) {
        int n = 0;
        for (Pending p : running) {
            if (p.cancellation.reason() == null) {
                n++;
            }
            p.cancellation.cancel(why);
        }
        return n;
    }

    @Override
    public void close() {
        cancelAll("the node is stopping");
        pool.shutdown();
        sweeper.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS); // cancelled reads stop within milliseconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // No shutdownNow: an interrupt would close the file channels a read shares with every other one.
    }
}
