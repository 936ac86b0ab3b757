package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcSchedulerTest {

    @TempDir
    Path dir;

    @Test
    void runsInTheBackgroundEveryIntervalAndOnDemand() throws InterruptedException {
        try (GcFixture node = new GcFixture(dir)) {
            GcFixture.History h = node.newCollection("c");
            h.commit(List.of(), true, 1);
            String orphan = node.putOrphanBlock(h.id);
            h.commit(List.of(0), true, 2);
            node.clock.advance(Duration.ofHours(1));
            try (GcScheduler scheduler = GcScheduler.start(node.gc(new GcOptions(1, 0, 0, 20)))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while ((scheduler.lastReport() == null || node.store.head(orphan).isPresent())
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(node.store.head(orphan)).as("a background run deleted the orphan").isEmpty();
                assertThat(scheduler.lastReport()).isNotNull();

                GcReport now = scheduler.runOnce();
                assertThat(now.dryRun()).isFalse();
                assertThat(scheduler.lastReport()).isSameAs(now);
                assertThat(node.keysOf(h.id)).isEqualTo(h.objectsOf(List.of(2L)));
            }
        }
    }

    @Test
    void optionsRejectNonsenseWithTheSettingsName() {
        assertThat(GcOptions.defaults()).isEqualTo(new GcOptions(3, Duration.ofDays(7).toMillis(), Duration.ofHours(1).toMillis(),
                Duration.ofMinutes(10).toMillis(), Duration.ofMinutes(5).toMillis()));
        assertThatThrownBy(() -> GcOptions.defaults().withVersionSpacingMs(-1)).hasMessageContaining("version_spacing_ms");
        assertThatThrownBy(() -> GcOptions.defaults().withKeepVersions(0)).hasMessageContaining("keep_versions");
        assertThatThrownBy(() -> GcOptions.defaults().withVersionTtlMs(-1)).hasMessageContaining("version_ttl_ms");
        assertThatThrownBy(() -> GcOptions.defaults().withGraceMs(-1)).hasMessageContaining("grace_ms");
        assertThatThrownBy(() -> GcOptions.defaults().withIntervalMs(0)).hasMessageContaining("interval_ms");
    }
}
