package dev.strata.compaction;

import dev.strata.platform.ThreadPriority;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's background compaction: one thread that, every poll interval, compacts the collections
 * whose uncompacted log passed the policy's record count or age. {@link #compactNow} compacts on the
 * caller's thread and waits; the compactor runs one compaction per collection at a time either way.
 */
public final class CompactionScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionScheduler.class);

    private final Compactor compactor;
    private final Catalog catalog;
    private final CompactionPolicy policy;
    private final ToLongFunction<CollectionRecord> backlog;
    private final CompactionFailures failures;
    /** When each collection was first seen with an uncompacted log (nanoTime), until compacted. */
    private final Map<UUID, Long> backlogSince = new HashMap<>();
    private final Thread thread;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param backlog records in a collection's uncompacted log (e.g. the engine's log-tail size); see
     *                {@link #logRecordsAfterCursor} for a probe that needs no engine
     */
    public CompactionScheduler(Compactor compactor, Catalog catalog, CompactionPolicy policy,
            ToLongFunction<CollectionRecord> backlog) {
        this(compactor, catalog, policy, backlog, new CompactionFailures(null));
    }

    /** @param failures where failed compactions are recorded (and, through it, logged once per cause and persisted) */
    public CompactionScheduler(Compactor compactor, Catalog catalog, CompactionPolicy policy,
            ToLongFunction<CollectionRecord> backlog, CompactionFailures failures) {
        this.compactor = compactor;
        this.catalog = catalog;
        this.policy = policy;
        this.backlog = backlog;
        this.failures = failures;
        // level with the reads, below requests: a bulk load's backlog must not crowd out the queries after it
        this.thread = ThreadPriority.lowered(Thread.ofPlatform().name("strata-compaction").daemon().factory(),
                ThreadPriority.MAINTENANCE).newThread(this::run);
    }

    /** A backlog probe counting log records (batches) after the version's cursor. */
    public static ToLongFunction<CollectionRecord> logRecordsAfterCursor(dev.strata.wal.WriteAheadLog wal) {
        return r -> Math.max(0, wal.lastSeq(Compactor.logName(r.id())) - r.logCursor());
    }

    public CompactionScheduler start() {
        failures.persist(); // replaces what a previous writer of the bucket recorded
        thread.start();
        return this;
    }

    /** The collections whose compaction is failing, and why. */
    public CompactionFailures failures() {
        return failures;
    }

    /** Compacts the collection now, on this thread, and returns what was done. */
    public CompactionResult compactNow(UUID collection) {
        CompactionResult r;
        running.incrementAndGet();
        try {
            r = compactor.compact(collection);
        } catch (RuntimeException | Error e) {
            if (!closed && catalog.allCollections().stream().anyMatch(c -> c.id().equals(collection))) {
                failures.failed(collection, e);
            }
            throw e;
        } finally {
            running.decrementAndGet();
        }
        failures.succeeded(collection);
        synchronized (backlogSince) {
            backlogSince.remove(collection);
        }
        return r;
    }

    /** Compactions running now (background and on demand). */
    public int running() {
        return running.get();
    }

    /** One pass over every collection: compacts those past a threshold. Returns how many were compacted. */
    public int runOnce() {
        int compacted = 0;
        Set<UUID> seen = new HashSet<>();
        for (CollectionRecord r : catalog.allCollections()) {
            if (closed) {
                break;
            }
            seen.add(r.id());
            if (due(r)) {
                try {
                    if (compactNow(r.id()).committed()) {
                        compacted++;
                    }
                } catch (RuntimeException | Error e) {
                    // Recorded (and logged once per cause) by compactNow; the next pass retries. An Error (out of
                    // memory: a collection too large for the heap) is that collection's failure, not the thread's end:
                    // the other collections go on compacting.
                    LOG.debug("compaction of collection {} failed; the next pass retries", r.id(), e);
                }
            }
        }
        synchronized (backlogSince) {
            backlogSince.keySet().retainAll(seen);
        }
        if (!closed) {
            failures.retainOnly(seen);
        }
        return compacted;
    }

    private boolean due(CollectionRecord r) {
        long pending = backlog.applyAsLong(r);
        long now = System.nanoTime();
        synchronized (backlogSince) {
            if (pending <= 0) {
                backlogSince.remove(r.id());
                return false;
            }
            long since = backlogSince.computeIfAbsent(r.id(), k -> now);
            return pending >= policy.maxUncompactedRecords() || (now - since) / 1_000_000 >= policy.maxAgeMs();
        }
    }

    private final Object wake = new Object();

    private void run() {
        while (!closed) {
            try {
                runOnce();
            } catch (RuntimeException | Error e) {
                LOG.warn("compaction pass failed", e);
            }
            synchronized (wake) {
                if (!closed) {
                    try {
                        wake.wait(policy.pollIntervalMs());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Starts the next pass now instead of after the poll interval (a writer waits for room). */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * Stops the thread after the compaction in progress, if any: one still reading its log stops at its next chunk,
     * one writing its version finishes it.
     */
    @Override
    public void close() {
        closed = true;
        compactor.stop();
        // Wake the poll sleep but never interrupt a compaction: an interrupt closes the channels it
        // is writing to and turns a clean stop into a failed, logged compaction.
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
