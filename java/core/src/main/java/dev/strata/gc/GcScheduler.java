package dev.strata.gc;

import dev.strata.platform.ThreadPriority;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GarbageCollector} on a background daemon thread every {@link GcOptions#intervalMs()} (measured
 * from the end of one run to the start of the next), and on demand. A failed run is logged and the next one
 * runs on schedule.
 */
public final class GcScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GcScheduler.class);

    private final GarbageCollector collector;
    private final ScheduledExecutorService thread;
    private final AtomicReference<GcReport> last = new AtomicReference<>();
    private final LongAdder runs = new LongAdder();
    private final LongAdder runNanos = new LongAdder();
    private final LongAdder objectsDeleted = new LongAdder();
    private final LongAdder bytesDeleted = new LongAdder();

    private GcScheduler(GarbageCollector collector) {
        this.collector = Objects.requireNonNull(collector, "collector");
        this.thread = Executors.newSingleThreadScheduledExecutor(ThreadPriority.lowered(
                Thread.ofPlatform().daemon().name("strata-gc").factory(), ThreadPriority.MAINTENANCE));
    }

    /** Starts the background runs; the first one after one interval. */
    public static GcScheduler start(GarbageCollector collector) {
        GcScheduler s = new GcScheduler(collector);
        long interval = collector.options().intervalMs();
        s.thread.scheduleWithFixedDelay(s::backgroundRun, interval, interval, TimeUnit.MILLISECONDS);
        return s;
    }

    /** Runs now on the caller's thread (waiting for a background run in progress to finish first). */
    public GcReport runOnce() {
        long start = System.nanoTime();
        GcReport report = collector.runOnce();
        runs.increment();
        runNanos.add(System.nanoTime() - start);
        objectsDeleted.add(report.objectsDeleted());
        bytesDeleted.add(report.bytesDeleted());
        last.set(report);
        return report;
    }

    /** What the runs of this scheduler (background and on demand) have done. */
    public GcStats stats() {
        return new GcStats(runs.sum(), runNanos.sum(), objectsDeleted.sum(), bytesDeleted.sum());
    }

    /** The report of the last finished run, background or on demand; null before the first. */
    public GcReport lastReport() {
        return last.get();
    }

    private void backgroundRun() {
        try {
            runOnce();
        } catch (RuntimeException | Error e) {
            // An Error (out of memory) would cancel the periodic run for good.
            LOG.warn("background gc run failed: {}", e.toString());
        }
    }

    /** Stops the background runs, waiting for one in progress to finish. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("gc run still in progress after one minute; leaving it to finish in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
