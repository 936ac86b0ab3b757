package dev.strata.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threads that run at a lower operating-system priority (a higher nice value) than the rest of the process.
 *
 * <p>Java's thread priorities do nothing on Linux (the JVM ignores them unless run as root), so this sets the nice
 * value itself, with {@code setpriority(PRIO_PROCESS, 0, nice)} called by the thread on itself: on Linux the nice
 * value belongs to each thread, and raising one's own needs no privilege. The kernel's scheduler then gives a nice-0
 * thread about ten times the CPU share of a nice-10 one when both want a core (weights 1024 and 110), and wakes it
 * first: Jetty's threads answering the heartbeat cut in front of CPU-bound reads instead of queueing behind them.
 * With no other work, lowered threads still get every idle core. Other systems: threads are left as they are
 * (elsewhere {@code setpriority} on "process 0" would lower the whole process).
 */
final class NiceThreads {

    private static final Logger LOG = LoggerFactory.getLogger(NiceThreads.class);
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle SETPRIORITY = setpriority();

    private NiceThreads() {}

    /** Threads of {@code base} that set their nice value to {@code nice} (0..19) before they run anything. */
    static ThreadFactory lowered(ThreadFactory base, int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be in 0..19 (lower priority only), got " + nice);
        }
        return task -> base.newThread(() -> {
            lowerCurrentThread(nice);
            task.run();
        });
    }

    /** Sets the calling thread's nice value; false where the system does not allow it (nothing changes then). */
    static boolean lowerCurrentThread(int nice) {
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
            LOG.info("read workers run at normal priority: setpriority is not available ({})", e.toString());
            return null;
        }
    }
}
