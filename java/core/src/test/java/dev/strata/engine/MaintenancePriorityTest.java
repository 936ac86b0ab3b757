package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.api.Settings;
import dev.strata.platform.ThreadPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's background maintenance runs below the threads that answer users: its threads, as the operating system
 * sees them (/proc/self/task, where the JVM gives each platform thread its name), have the maintenance nice value.
 */
class MaintenancePriorityTest {

    @TempDir
    Path dir;

    /** Nice value by native thread name (truncated by Linux to 15 characters). */
    private static Map<String, Integer> niceByThreadName() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    out.put(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice(stat));
                } catch (IOException ended) {
                    // the thread ended while we listed
                }
            }
        }
        return out;
    }

    /** The nice value in a /proc stat line: field 19, counted after the parenthesised name. */
    private static int nice(String stat) {
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void compactionAndGcThreadsRunAtMaintenancePriority() throws Exception {
        assumeTrue(ThreadPriority.supported(), "setpriority is Linux only");
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir))) {
            Map<String, Integer> nice = Map.of();
            for (int i = 0; i < 100 && !(nice.containsKey("strata-compacti") && nice.containsKey("strata-gc")); i++) {
                Thread.sleep(20); // a thread lowers itself as it starts
                nice = niceByThreadName();
            }
            assertThat(nice).containsEntry("strata-compacti", ThreadPriority.MAINTENANCE)
                    .containsEntry("strata-gc", ThreadPriority.MAINTENANCE);
            // a compaction's blockfile commits run on threads of maintenance priority too
            dev.strata.api.Collection c = strata.database().createCollection("niced", null, null);
            c.add(WriteStallTest.records(0, 50));
            ((EmbeddedCollection) c).compact();
            assertThat(niceByThreadName()).containsEntry("strata-block-wr", ThreadPriority.MAINTENANCE);
            int callerNice = nice(Files.readString(Path.of("/proc/thread-self/stat")));
            assertThat(callerNice).as("the caller's thread keeps its priority").isLessThan(ThreadPriority.MAINTENANCE);
        }
    }
}
