package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.VersionInfo;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GC over five copy-on-write versions in a real catalog on a local bucket. */
class GarbageCollectorTest {

    /** Every version within the TTL kept (spacing 0): these cases test the other rules (spans: KeepPolicyTest, properties). */
    private static final GcOptions OPTIONS = GcOptions.defaults()
            .withKeepVersions(3).withVersionTtlMs(60_000).withVersionSpacingMs(0).withGraceMs(60_000);

    @TempDir
    Path dir;

    private GcFixture node;
    private GcFixture.History h;

    @BeforeEach
    void fiveVersions() {
        node = new GcFixture(dir);
        h = node.newCollection("docs");
        h.commit(List.of(), true, 10);
        h.commit(List.of(0), true, 20);
        h.commit(List.of(GcFixture.IDS - 1), false, 30);
        h.commit(List.of(0), false, 40);
        h.commit(List.of(GcFixture.IDS / 2), true, 50);
    }

    @AfterEach
    void close() {
        node.close();
    }

    private Set<String> keptObjects(long... versions) {
        Set<String> keys = new TreeSet<>();
        for (long v : versions) {
            keys.addAll(h.objectsOf(v));
        }
        return keys;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    @Test
    void deletesExactlyTheObjectsOfExpiredVersionsThatNoKeptVersionShares() {
        node.clock.advance(Duration.ofHours(1));
        Set<String> kept = keptObjects(3, 4, 5);
        Set<String> expected = minus(keptObjects(1, 2), kept);
        Set<String> sharedWithV1 = new TreeSet<>(h.objectsOf(1));
        sharedWithV1.retainAll(kept);
        assertThat(expected).isNotEmpty();
        assertThat(sharedWithV1).as("middle blocks of version 1 live on in version 5").isNotEmpty();

        GcReport report = node.gc(OPTIONS).runOnce();

        CollectionGc c = report.collection(h.id).orElseThrow();
        assertThat(c.error()).isNull();
        assertThat(c.keptVersions()).containsExactly(3L, 4L, 5L);
        assertThat(new TreeSet<>(c.allKeys())).isEqualTo(expected);
        assertThat(c.keys(GcReason.EXPIRED_VERSION))
                .containsExactlyInAnyOrder(ObjectLayout.versionManifest(h.id, 1), ObjectLayout.versionManifest(h.id, 2));
        assertThat(node.keysOf(h.id)).isEqualTo(kept).containsAll(sharedWithV1);
        assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactly(3L, 4L, 5L);
        assertThat(c.forgottenVersions()).containsExactly(1L, 2L);
        assertThat(report.bytesDeleted()).isPositive();
        assertReadable(3, 4, 5);

        GcReport again = node.gc(OPTIONS).runOnce();
        assertThat(again.objectsDeleted()).as("a second run finds nothing more").isZero();
    }

    @Test
    void versionsYoungerThanTheTtlAreKept() {
        node.clock.advance(Duration.ofHours(1));
        GcReport report = node.gc(OPTIONS.withVersionTtlMs(Duration.ofDays(1).toMillis())).runOnce();
        assertThat(report.objectsDeleted()).isZero();
        assertThat(report.collection(h.id).orElseThrow().keptVersions()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aVersionCurrentWithinTheGracePeriodIsKept() throws InterruptedException {
        Thread.sleep(30); // so that version 6 is committed measurably later than version 5 was
        h.commit(List.of(7), false, 60);
        VersionInfo v6 = node.catalog.versions(h.id).getLast();
        node.clock.set(v6.createdAt().plusMillis(5));

        // keep only the current version, no TTL: version 5 was current 5 ms ago, version 4 over 30 ms ago
        GcReport report = node.gc(new GcOptions(1, 0, 20, 1_000)).runOnce();

        assertThat(report.collection(h.id).orElseThrow().keptVersions()).containsExactly(5L, 6L);
        assertThat(node.keysOf(h.id)).isEqualTo(keptObjects(5, 6));
    }

    @Test
    void pinnedVersionsSurviveUntilReleased() {
        node.clock.advance(Duration.ofHours(1));
        VersionPins.Pin pin = node.pins.pin(h.id, 1);

        GcReport report = node.gc(OPTIONS).runOnce();

        assertThat(report.collection(h.id).orElseThrow().keptVersions()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(node.keysOf(h.id)).isEqualTo(keptObjects(1, 3, 4, 5));
        assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactly(1L, 3L, 4L, 5L);
        assertReadable(1);

        pin.close();
        node.gc(OPTIONS).runOnce();
        assertThat(node.keysOf(h.id)).isEqualTo(keptObjects(3, 4, 5));
        assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactly(3L, 4L, 5L);
    }

    @Test
    void theGracePeriodProtectsFreshUnreferencedObjects() {
        String orphan = node.putOrphanBlock(h.id);
        h.commit(List.of(1), false, 60); // the orphan now predates the current version: only its age protects it
        GarbageCollector gc = node.gc(OPTIONS.withVersionTtlMs(Duration.ofDays(1).toMillis()));

        CollectionGc first = gc.runOnce().collection(h.id).orElseThrow();
        assertThat(first.deletedCount()).isZero();
        assertThat(first.protectedUnreferenced()).isEqualTo(1);
        assertThat(node.store.head(orphan)).isPresent();

        node.clock.advance(Duration.ofMinutes(2));
        CollectionGc second = gc.runOnce().collection(h.id).orElseThrow();
        assertThat(second.keys(GcReason.UNREFERENCED)).containsExactly(orphan);
        assertThat(node.store.head(orphan)).isEmpty();
        assertThat(node.keysOf(h.id)).isEqualTo(keptObjects(1, 2, 3, 4, 5, 6));
    }

    @Test
    void filesWrittenSinceTheCurrentVersionWaitForTheNextCommitHoweverOld() {
        // what a compaction in flight has written so far, and it is slower than the grace period
        String inFlight = node.putOrphanBlock(h.id);
        node.clock.advance(Duration.ofHours(1));

        CollectionGc during = node.gc(OPTIONS).runOnce().collection(h.id).orElseThrow();
        assertThat(during.keys(GcReason.UNREFERENCED)).isNotEmpty().doesNotContain(inFlight);
        assertThat(during.protectedUnreferenced()).isEqualTo(1);
        assertThat(node.store.head(inFlight)).isPresent();

        h.commit(List.of(1), false, 60); // a later commit that does not name it: it was a failed attempt
        node.clock.advance(Duration.ofHours(1));
        CollectionGc after = node.gc(OPTIONS).runOnce().collection(h.id).orElseThrow();
        assertThat(after.keys(GcReason.UNREFERENCED)).contains(inFlight);
        assertThat(node.store.head(inFlight)).isEmpty();
    }

    /**
     * The first compaction of a collection has no version to be dated by: however long it runs (a large first import
     * outlasts a short grace period), GC deletes none of its files; once the first version is committed, the files of
     * an attempt that crashed before it are older than its manifest and go.
     */
    @Test
    void theFilesOfACollectionsFirstCompactionSurviveHoweverLongItRuns() {
        GcFixture.History fresh = node.newCollection("first");
        String inFlight = node.putOrphanBlock(fresh.id);
        node.clock.advance(Duration.ofHours(1));
        CollectionGc during = node.gc(OPTIONS).runOnce().collection(fresh.id).orElseThrow();
        assertThat(during.keys(GcReason.UNREFERENCED)).doesNotContain(inFlight);
        assertThat(node.store.head(inFlight)).isPresent();

        fresh.commit(List.of(), true, 10); // the first version, which does not name it: a crashed attempt's file
        node.clock.advance(Duration.ofHours(1));
        CollectionGc after = node.gc(OPTIONS).runOnce().collection(fresh.id).orElseThrow();
        assertThat(after.keys(GcReason.UNREFERENCED)).contains(inFlight);
        assertThat(node.store.head(inFlight)).isEmpty();
        assertThat(fresh.objectsOf(fresh.version())).allMatch(k -> node.store.head(k).isPresent());
    }

    @Test
    void dryRunDeletesNothingAndListsTheKeysARunDeletes() {
        String orphan = node.putOrphanBlock(h.id);
        h.commit(List.of(2), false, 60);
        node.clock.advance(Duration.ofHours(1));
        node.putLogSegment(h.id, 1, 25);
        node.putLogSegment(h.id, 26, 60);
        Set<String> before = node.keysOf(h.id);

        GcReport plan = node.gc(OPTIONS).dryRun();

        assertThat(plan.dryRun()).isTrue();
        assertThat(node.keysOf(h.id)).isEqualTo(before);
        assertThat(node.catalog.versions(h.id)).hasSize(6);
        assertThat(plan.describe()).contains("would delete").contains(ObjectLayout.versionManifest(h.id, 1));

        GcReport run = node.gc(OPTIONS).runOnce();
        for (GcReason reason : GcReason.values()) {
            assertThat(new TreeSet<>(run.keys(reason))).as(reason.name()).isEqualTo(new TreeSet<>(plan.keys(reason)));
        }
        assertThat(plan.keys(GcReason.UNREFERENCED)).contains(orphan);
        assertThat(plan.countsByReason()).containsEntry(GcReason.EXPIRED_VERSION, 3);
        assertThat(plan.objectsDeleted()).isEqualTo(run.objectsDeleted()).isPositive();
        assertThat(minus(before, node.keysOf(h.id))).isEqualTo(new TreeSet<>(run.allKeys()));
    }

    @Test
    void logSegmentsBelowTheCurrentCursorGoAtTheFirstGcPastTheGraceThoughOlderVersionsAreKept() {
        node.clock.advance(Duration.ofHours(1));
        // kept versions 3, 4, 5 have cursors 30, 40, 50; only version 5 (current) has a tail built on it
        String below = node.putLogSegment(h.id, 1, 20);
        String endsAtOldCursor = node.putLogSegment(h.id, 21, 30);
        String belowCurrent = node.putLogSegment(h.id, 31, 50);
        String straddles = node.putLogSegment(h.id, 51, 55);
        String newest = node.putLogSegment(h.id, 56, 58);

        CollectionGc c = node.gc(OPTIONS).runOnce().collection(h.id).orElseThrow();

        assertThat(c.keptVersions()).containsExactly(3L, 4L, 5L);
        assertThat(c.keys(GcReason.LOG_BELOW_CURSOR)).containsExactlyInAnyOrder(below, endsAtOldCursor, belowCurrent);
        assertThat(node.store.head(straddles)).as("holds seqs after the current cursor").isPresent();
        assertThat(node.store.head(newest)).isPresent();
        assertReadable(3, 4, 5); // a retained version is complete without the log

        // once the current version has compacted past all of it, only the newest segment is left
        h.commit(List.of(1), false, 60);
        node.clock.advance(Duration.ofHours(1));
        node.gc(OPTIONS).runOnce();
        assertThat(node.store.head(straddles)).isEmpty();
        assertThat(node.store.head(newest)).as("the newest segment's key tells a new node the last seq").isPresent();
    }

    @Test
    void theLogAVersionSupersededWithinTheGraceOrAPinnedVersionMayReplayStays() throws InterruptedException {
        String to30 = node.putLogSegment(h.id, 1, 30);
        String to40 = node.putLogSegment(h.id, 31, 40);
        String to50 = node.putLogSegment(h.id, 41, 50);
        String newest = node.putLogSegment(h.id, 51, 52);
        Thread.sleep(30); // so that version 6 is committed measurably later than version 5 was
        h.commit(List.of(1), false, 52);
        node.clock.set(node.catalog.versions(h.id).getLast().createdAt().plusMillis(5));
        // every version kept by the TTL; version 5 (cursor 50) was current 5 ms ago, version 4 over 30 ms ago
        GcOptions options = new GcOptions(1, Duration.ofDays(1).toMillis(), 20, 1_000);

        try (VersionPins.Pin pin = node.pins.pin(h.id, 4)) { // a read holds version 4 (cursor 40)
            CollectionGc c = node.gc(options).runOnce().collection(h.id).orElseThrow();
            assertThat(c.keptVersions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(c.keys(GcReason.LOG_BELOW_CURSOR)).containsExactlyInAnyOrder(to30, to40);
        }
        assertThat(node.store.head(to50)).as("version 5 was current within the grace period").isPresent();

        node.clock.advance(Duration.ofHours(1));
        CollectionGc later = node.gc(options).runOnce().collection(h.id).orElseThrow();
        assertThat(later.keys(GcReason.LOG_BELOW_CURSOR)).containsExactly(to50);
        assertThat(node.store.head(newest)).isPresent();
        assertReadable(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aKeptVersionWithoutItsManifestStopsTheCollectionsGcAndDeletesNothing() {
        node.clock.advance(Duration.ofHours(1));
        node.store.delete(ObjectLayout.versionManifest(h.id, 4));
        Set<String> before = node.keysOf(h.id);

        GcReport report = node.gc(OPTIONS).runOnce();

        assertThat(report.failures()).singleElement().satisfies(c -> {
            assertThat(c.collection()).isEqualTo(h.id);
            assertThat(c.error()).contains("version 4");
        });
        assertThat(node.keysOf(h.id)).isEqualTo(before);
        assertThat(node.catalog.versions(h.id)).hasSize(5);
    }

    @Test
    void otherCollectionsAreUntouched() {
        GcFixture.History other = node.newCollection("other");
        other.commit(List.of(), true, 5);
        node.clock.advance(Duration.ofHours(1));
        Set<String> otherBefore = node.keysOf(other.id);

        node.gc(OPTIONS).runOnce();

        assertThat(node.keysOf(other.id)).isEqualTo(otherBefore);
    }

    /** Every entry of the versions' ids blockfile reads back, through a cold cache (so from the store). */
    private void assertReadable(long... versions) {
        try (BlockCache cold = new BlockCache(node.store, 1 << 20)) {
            for (long v : versions) {
                BlockfileReader<Long> r = BlockfileReader.open(cold, h.idsRootOf(v), ValueType.LONG);
                Set<Long> ids = new HashSet<>();
                r.entries().forEach(e -> {
                    ids.add((Long) e.key().key());
                    assertThat(e.value()).isEqualTo(h.idsOf(v).get((Long) e.key().key()));
                });
                assertThat(ids).isEqualTo(h.idsOf(v).keySet());
            }
        }
    }
}
