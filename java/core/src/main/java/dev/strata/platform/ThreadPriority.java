package dev.strata.platform;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads that run at a lower operating-system priority (a higher nice value) than the rest of the process, so
 * that the work a user waits for is scheduled ahead of the work nobody waits for.
 *
 * <p>Two tiers, by nice value: request threads (Jetty's, the writers', an embedding application's) at 0; reads run
 * by the server and background maintenance (compaction, k-means, index builds, the warm graph, GC) at {@link #READS}
 * and {@link #MAINTENANCE}, the same value. Linux's scheduler gives each thread a weight by its nice value (1024 at
 * 0, 110 at 10): a nice-10 thread gets about a tenth of a nice-0 thread's share of a contended core and is woken
 * after it, so the heartbeat and writes cut in front of CPU-bound reads; reads and maintenance share by thread.
 * With no other work, a lowered thread still gets every idle core, so a quiet node compacts at full speed.
 *
 * <p>Why maintenance is not below the reads, nor above them (measured right after a 100k bulk load, docs/bench.md):
 * above them (at 0, as before), the compaction of the last batch, its k-means and the warm graph's catch-up took
 * both cores for two seconds and each query in them took 130-280 ms; below them (15), queries took the warm
 * graph's CPU and it took over from the clustered index seconds later, so queries were slow for longer.
 * Level, a query in those seconds took about 20 ms and the graph was ready about as soon.
 *
 * <p>Java's thread priorities do nothing on Linux (the JVM ignores them unless run as root), so this sets the nice
 * value itself, with {@code setpriority(PRIO_PROCESS, 0, nice)} called by the thread on itself: on Linux the nice
 * value belongs to each thread, and raising one's own needs no privilege. Other systems: threads are left as they
 * are (elsewhere {@code setpriority} on "process 0" would lower the whole process).
 */
public final class ThreadPriority {

    /** Reads run by the server: behind requests (the heartbeat, writes). */
    public static final int READS = 10;
    /** Compaction, k-means, index builds, the warm graph, GC: level with the reads, behind requests. */
    public static final int MAINTENANCE = READS;

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle SETPRIORITY = setpriority();

    private ThreadPriority() {}

    /** Threads of {@code base} that set their nice value to {@code nice} (0..19) before they run anything. */
    public static ThreadFactory lowered(ThreadFactory base, int nice) {
        checkNice(nice);
        return task -> base.newThread(() -> {
            lowerCurrentThread(nice);
            task.run();
        });
    }

    /**
     * A fork-join pool whose workers run at {@code nice}: for parallel work of maintenance (a parallel stream run
     * inside it uses its workers, not the common pool's, which run at normal priority for everyone else).
     */
    public static ForkJoinPool loweredPool(String name, int parallelism, int nice) {
        checkNice(nice);
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> new ForkJoinWorkerThread(null, pool, true) {
            @Override
            protected void onStart() {
                super.onStart();
                setName(name + "-" + getPoolIndex());
                lowerCurrentThread(nice);
            }
        };
        return new ForkJoinPool(parallelism, factory, null, false);
    }

    /** Sets the calling thread's nice value; false where the system does not allow it (nothing changes then). */
    public static boolean lowerCurrentThread(int nice) {
        checkNice(nice);
        if (SETPRIORITY == null) {
            return false;
        }
        try {
            return (int) SETPRIORITY.invokeExact(PRIO_PROCESS, 0, nice) == 0;
        } catch (Throwable t) {
            LOG.debug("setpriority failed; the thread keeps its priority", t);
            return false;
        }
    }

    /** True where threads can be lowered (Linux). */
    public static boolean supported() {
        return SETPRIORITY != null;
    }

    private static void checkNice(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be in 0..19 (lower priority only), got " + nice);
        }
    }

    private static MethodHandle setpriority() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("setpriority")
                    .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            LOG.info("threads run at normal priority: setpriority is not available ({})", e.toString());
            return null;
        }
    }
}
