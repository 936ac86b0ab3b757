package dev.strata.server;

import dev.strata.api.Cancellation;
import dev.strata.platform.ThreadPriority;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int queue;
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();

    /** {@code queue} 0: no read waits, one that finds every worker busy is refused at once. */
    ReadWorkers(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, waiting,
                ThreadPriority.lowered(Thread.ofPlatform().name("strata-read-", 0).daemon().factory(), NICE));
        pool.allowCoreThreadTimeOut(true);
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
     * Runs {@code read} on a worker under {@code cancellation} and waits for its answer, at most {@code waitMs}
     * (then the read is cancelled and the caller gets 408). Whatever the read throws, errors included, is
     * rethrown here, on the caller's thread.
     */
    HttpAnswer run(Supplier<HttpAnswer> read, Cancellation cancellation, long waitMs) {
        Future<HttpAnswer> future;
        try {
            // A read whose client left (or whose node began stopping) while it waited is not started.
            future = pool.submit(() -> cancellation.reason() != null ? cancelledBeforeStart(cancellation)
                    : cancellation.run(read));
        } catch (RejectedExecutionException e) {
            throw HttpError.of(ChromaErrors.RATE_LIMITED, "Too many reads in progress on this node (" + threads
                    + " running, " + queue + " waiting): retry shortly");
        }
        running.add(cancellation);
        try {
            return future.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cancellation.cancel("the read waited and ran longer than " + waitMs + " ms");
            future.cancel(false);
            throw HttpError.of(ChromaErrors.TIMED_OUT, "The read did not finish within " + waitMs
                    + " ms (STRATA_QUERY_TIMEOUT_MS, time waiting for a free read worker included) and was stopped;"
                    + " nothing was changed");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            cancellation.cancel("the request was interrupted");
            Thread.currentThread().interrupt();
            throw HttpError.of(ChromaErrors.UNAVAILABLE, "The node is stopping");
        } finally {
            running.remove(cancellation);
        }
    }

    private static HttpAnswer cancelledBeforeStart(Cancellation cancellation) {
        throw HttpError.of(ChromaErrors.UNAVAILABLE, "The read was not started: " + cancellation.reason());
    }

    /** Cancels every read in progress (they stop at their next check); how many there were. */
    int cancelAll(String why) {
        int n = 0;
        for (Cancellation c : running) {
            if (c.reason() == null) {
                n++;
            }
            c.cancel(why);
        }
        return n;
    }

    @Override
    public void close() {
        cancelAll("the node is stopping");
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS); // cancelled reads stop within milliseconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // No shutdownNow: an interrupt would close the file channels a read shares with every other one.
    }
}
