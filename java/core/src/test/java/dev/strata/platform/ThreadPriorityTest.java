package dev.strata.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThreadPriorityTest {

    /** The calling thread's nice value, field 19 of /proc/thread-self/stat (after the parenthesised name). */
    static int niceOfCurrentThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]); // fields from the state (3rd) on: nice is the 19th
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLoweredThreadRunsAtItsNiceValueAndItsCreatorDoesNot() throws Exception {
        assumeTrue(ThreadPriority.supported(), "setpriority is Linux only");
        int mine = niceOfCurrentThread();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        Thread t = ThreadPriority.lowered(Thread.ofPlatform().factory(), ThreadPriority.MAINTENANCE)
                .newThread(() -> seen.complete(niceOfCurrentThread()));
        t.start();
        assertThat(seen.get()).isEqualTo(Math.max(mine, ThreadPriority.MAINTENANCE));
        assertThat(niceOfCurrentThread()).isEqualTo(mine);
    }

    @Test
    void aLoweredPoolRunsParallelStreamsOnItsOwnLoweredWorkers() {
        assumeTrue(ThreadPriority.supported(), "setpriority is Linux only");
        ForkJoinPool pool = ThreadPriority.loweredPool("test-lowered", 2, ThreadPriority.READS);
        try {
            int[] nices = pool.submit(() -> IntStream.range(0, 64).parallel().map(i -> {
                return Thread.currentThread().getName().startsWith("test-lowered") ? niceOfCurrentThread() : -1;
            }).toArray()).join();
            assertThat(nices).as("every element ran on a lowered worker").containsOnly(ThreadPriority.READS);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void onlyLoweringIsAllowed() {
        assertThatThrownBy(() -> ThreadPriority.lowerCurrentThread(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThreadPriority.lowered(Thread.ofPlatform().factory(), 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ThreadPriority.MAINTENANCE).as("never above the reads").isGreaterThanOrEqualTo(ThreadPriority.READS);
    }
}
