package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.Settings;
import dev.strata.gc.GcReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's meters count compactions (runs, record changes, time) and garbage collection (runs, time, what it deleted). */
class MaintenanceMetricsTest {

    @TempDir
    Path dir;

    @Test
    void compactionAndGcRunsAreCountedWithTheirTimeAndWhatTheyDid() {
        Settings settings = Settings.defaults(dir).withAll(Map.of("STRATA_GC_KEEP_VERSIONS", "1", "STRATA_GC_TTL_MS", "0",
                "STRATA_GC_GRACE_MS", "0"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            strata.bindMetrics(registry);
            assertThat(count(registry, "strata.compaction.runs")).isZero();
            Collection c = strata.database().createCollection("metered", null, null);
            c.add(WriteStallTest.records(0, 300));
            ((EmbeddedCollection) c).compact();
            c.add(WriteStallTest.records(300, 350));
            ((EmbeddedCollection) c).compact();
            ((EmbeddedCollection) c).compact(); // nothing left to fold: not a run

            assertThat(count(registry, "strata.compaction.runs")).isEqualTo(2);
            assertThat(count(registry, "strata.compaction.changes")).isEqualTo(350);
            assertThat(count(registry, "strata.compaction.time")).isPositive();

            GcReport report = strata.collectGarbage();
            assertThat(report.objectsDeleted()).as("the first version's replaced objects").isPositive();
            assertThat(count(registry, "strata.gc.runs")).isEqualTo(1);
            assertThat(count(registry, "strata.gc.deleted.objects")).isEqualTo(report.objectsDeleted());
            assertThat(count(registry, "strata.gc.deleted.bytes")).isEqualTo(report.bytesDeleted()).isPositive();
            assertThat(count(registry, "strata.gc.time")).isPositive();
        }
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        FunctionCounter counter = registry.find(name).functionCounter();
        assertThat(counter).as(name).isNotNull();
        return counter.count();
    }
}
