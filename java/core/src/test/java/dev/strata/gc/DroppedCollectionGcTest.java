package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.segment.VersionPins;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deleted collection loses every object and its log once the grace period has passed, then the catalog forgets it. */
class DroppedCollectionGcTest {

    private static final GcOptions OPTIONS = GcOptions.defaults().withGraceMs(60_000);

    @TempDir
    Path dir;

    private GcFixture node;
    private WriteAheadLog wal;
    private GcFixture.History dropped;
    private GcFixture.History live;

    @BeforeEach
    void twoCollectionsOneDropped() {
        node = new GcFixture(dir);
        wal = WriteAheadLog.open(dir.resolve("wal"), node.kv, node.store,
                WalOptions.defaults().withDurability(WalOptions.Durability.S3));
        dropped = node.newCollection("dropped");
        live = node.newCollection("live");
        for (GcFixture.History h : List.of(dropped, live)) {
            for (int i = 0; i < 3; i++) {
                wal.append(h.id.toString(), ("batch " + i).getBytes(StandardCharsets.UTF_8));
            }
            h.commit(List.of(), true, 2);
            h.commit(List.of(1), true, 3);
        }
        node.catalog.deleteCollection(dropped.id);
    }

    @AfterEach
    void close() {
        wal.close();
        node.close();
    }

    @Test
    void everythingGoesAfterTheGracePeriodAndTheCatalogForgetsTheCollection() {
        Set<String> droppedKeys = node.keysOf(dropped.id);
        Set<String> liveKeys = node.keysOf(live.id);
        assertThat(droppedKeys).anyMatch(k -> k.contains("/log/")).anyMatch(k -> k.contains("/b/"));
        GarbageCollector gc = node.gc(OPTIONS, wal);

        GcReport early = gc.runOnce();
        assertThat(early.collection(dropped.id)).as("within the grace period").isEmpty();
        assertThat(node.keysOf(dropped.id)).isEqualTo(droppedKeys);
        assertThat(node.catalog.droppedCollections()).hasSize(1);

        node.clock.advance(Duration.ofMinutes(2));
        GcReport report = gc.runOnce();

        CollectionGc c = report.collection(dropped.id).orElseThrow();
        assertThat(c.dropped()).isTrue();
        assertThat(new TreeSet<>(c.keys(GcReason.DROPPED_COLLECTION))).containsAll(droppedKeys);
        assertThat(c.forgottenVersions()).containsExactly(1L, 2L);
        assertThat(node.keysOf(dropped.id)).isEmpty();
        assertThat(wal.collections()).doesNotContain(dropped.id.toString()).contains(live.id.toString());
        assertThat(node.catalog.droppedCollections()).isEmpty();
        Set<String> liveLeft = new TreeSet<>(liveKeys);
        for (GcReport r : List.of(early, report)) {
            CollectionGc liveGc = r.collection(live.id).orElseThrow();
            assertThat(liveGc.allKeys()).as("the live collection loses only its compacted log")
                    .containsExactlyInAnyOrderElementsOf(liveGc.keys(GcReason.LOG_BELOW_CURSOR));
            liveGc.allKeys().forEach(liveLeft::remove);
        }
        assertThat(node.keysOf(live.id)).isEqualTo(liveLeft).anyMatch(k -> k.contains("/log/"));
    }

    @Test
    void aDryRunListsTheDroppedCollectionsObjectsAndKeepsThem() {
        node.clock.advance(Duration.ofMinutes(2));
        Set<String> droppedKeys = node.keysOf(dropped.id);

        GcReport plan = node.gc(OPTIONS, wal).dryRun();

        assertThat(new TreeSet<>(plan.keys(GcReason.DROPPED_COLLECTION))).isEqualTo(droppedKeys);
        assertThat(node.keysOf(dropped.id)).isEqualTo(droppedKeys);
        assertThat(wal.collections()).contains(dropped.id.toString());
        assertThat(node.catalog.droppedCollections()).hasSize(1);
    }

    @Test
    void aDroppedCollectionStillPinnedByAReadWaits() {
        node.clock.advance(Duration.ofMinutes(2));
        Set<String> droppedKeys = node.keysOf(dropped.id);
        VersionPins.Pin pin = node.pins.pin(dropped.id, 2);

        GcReport report = node.gc(OPTIONS, wal).runOnce();

        assertThat(report.failures()).singleElement().satisfies(c -> assertThat(c.error()).contains("pin"));
        assertThat(node.keysOf(dropped.id)).isEqualTo(droppedKeys);
        assertThat(node.catalog.droppedCollections()).hasSize(1);

        pin.close();
        node.gc(OPTIONS, wal).runOnce();
        assertThat(node.keysOf(dropped.id)).isEmpty();
    }
}
