package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.VersionInfo;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random version histories, pins and settings: after GC, every object a kept or pinned version names still exists
 * and reads back, and nothing else of the collection is left (so the property cannot pass by deleting nothing).
 */
class GcSafetyPropertiesTest {

    @Property(tries = 20)
    void keptAndPinnedVersionsKeepEveryObjectTheyName(
            @ForAll @Size(min = 1, max = 7) List<@Size(max = 3) Set<@IntRange(max = GcFixture.IDS - 1) Integer>> changes,
            @ForAll @Size(max = 3) Set<@IntRange(min = 1, max = 7) Integer> pins,
            @ForAll @IntRange(min = 1, max = 4) int keepVersions,
            @ForAll boolean longTtl,
            @ForAll boolean clockMovedOn,
            @ForAll boolean noGrace,
            @ForAll @IntRange(max = 2) int orphans) throws IOException {
        Path dir = Files.createTempDirectory("gc-prop");
        try (GcFixture node = new GcFixture(dir)) {
            GcFixture.History h = node.newCollection("c");
            List<String> orphanKeys = new ArrayList<>();
            for (int i = 0; i < orphans; i++) {
                orphanKeys.add(node.putOrphanBlock(h.id));
            }
            for (int i = 0; i < changes.size(); i++) {
                h.commit(changes.get(i), changes.get(i).size() % 2 == 0, 10L * (i + 1));
            }
            long versions = h.version();
            Map<Long, VersionPins.Pin> held = new HashMap<>();
            pins.stream().filter(v -> v <= versions).forEach(v -> held.put((long) v, node.pins.pin(h.id, v)));
            if (clockMovedOn) {
                node.clock.advance(Duration.ofHours(1));
            } else {
                node.clock.set(Instant.now());
            }
            GcOptions options = new GcOptions(keepVersions, longTtl ? Duration.ofDays(1).toMillis() : 0,
                    noGrace ? 0 : 60_000, 1_000);
            GarbageCollector gc = node.gc(options);

            TreeSet<Long> kept = expectedKept(versions, keepVersions, held.keySet(),
                    longTtl || (!clockMovedOn && !noGrace));
            GcReport report = gc.runOnce();
            assertThat(report.failures()).isEmpty();
            assertThat(report.collection(h.id).orElseThrow().keptVersions()).containsExactlyElementsOf(kept);
            Set<String> expected = h.objectsOf(kept);
            if (!clockMovedOn && !noGrace) {
                expected.addAll(orphanKeys);
            }
            assertThat(node.keysOf(h.id)).isEqualTo(expected);
            assertThat(node.catalog.versions(h.id)).extracting(VersionInfo::version).containsExactlyElementsOf(kept);
            assertReadable(node, h, kept);

            held.values().forEach(VersionPins.Pin::close);
            TreeSet<Long> keptUnpinned = expectedKept(versions, keepVersions, Set.of(),
                    longTtl || (!clockMovedOn && !noGrace));
            keptUnpinned.retainAll(kept); // a forgotten version never comes back
            gc.runOnce();
            Set<String> expectedAfter = h.objectsOf(keptUnpinned);
            if (!clockMovedOn && !noGrace) {
                expectedAfter.addAll(orphanKeys);
            }
            assertThat(node.keysOf(h.id)).isEqualTo(expectedAfter);
            assertReadable(node, h, keptUnpinned);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Random histories with a sealed log under them: a segment survives GC exactly when a tail may still be built
     * over it (it holds seqs after the cursor of the current version, of a pinned one, or of one superseded within
     * the grace period) or it is the newest; the retained versions, whose cursors may be lower, read back whole.
     */
    @Property(tries = 20)
    void theLogGoesBelowTheCursorOfEveryVersionATailIsBuiltOnAndNoFurther(
            @ForAll @IntRange(min = 1, max = 6) int versions,
            @ForAll @Size(max = 2) Set<@IntRange(min = 1, max = 6) Integer> pins,
            @ForAll @IntRange(min = 1, max = 4) int keepVersions,
            @ForAll boolean longTtl,
            @ForAll boolean clockMovedOn,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 15) Integer> segmentLengths) throws IOException {
        Path dir = Files.createTempDirectory("gc-log-prop");
        try (GcFixture node = new GcFixture(dir)) {
            GcFixture.History h = node.newCollection("c");
            for (int v = 1; v <= versions; v++) {
                h.commit(List.of(v % GcFixture.IDS), v % 2 == 0, 10L * v);
            }
            Map<String, Long> segmentEnds = new HashMap<>();
            long lastSeq = 10L * versions + 5;
            for (long first = 1, i = 0; first <= lastSeq; i++) {
                long last = Math.min(lastSeq, first + segmentLengths.get((int) (i % segmentLengths.size())) - 1);
                segmentEnds.put(node.putLogSegment(h.id, first, last), last);
                first = last + 1;
            }
            Map<Long, VersionPins.Pin> held = new HashMap<>();
            pins.stream().filter(v -> v <= versions).forEach(v -> held.put((long) v, node.pins.pin(h.id, v)));
            if (clockMovedOn) {
                node.clock.advance(Duration.ofHours(1));
            } else {
                node.clock.set(Instant.now()); // every version was current within the grace period
            }
            GarbageCollector gc = node.gc(new GcOptions(keepVersions, longTtl ? Duration.ofDays(1).toMillis() : 0,
                    60_000, 1_000));

            assertThat(gc.runOnce().failures()).isEmpty();
            long floor = clockMovedOn
                    ? Math.min(10L * versions, held.keySet().stream().mapToLong(v -> 10L * v).min().orElse(Long.MAX_VALUE))
                    : 10L;
            assertLogAbove(node, h, segmentEnds, floor, lastSeq);
            TreeSet<Long> kept = expectedKept(versions, keepVersions, held.keySet(), longTtl || !clockMovedOn);
            assertReadable(node, h, kept);

            held.values().forEach(VersionPins.Pin::close);
            gc.runOnce();
            assertLogAbove(node, h, segmentEnds, clockMovedOn ? 10L * versions : 10L, lastSeq);
            TreeSet<Long> keptUnpinned = expectedKept(versions, keepVersions, Set.of(), longTtl || !clockMovedOn);
            keptUnpinned.retainAll(kept);
            assertReadable(node, h, keptUnpinned);
        } finally {
            deleteTree(dir);
        }
    }

    /** Exactly the segments holding a seq above {@code floor}, and the newest, are left. */
    private static void assertLogAbove(GcFixture node, GcFixture.History h, Map<String, Long> segmentEnds, long floor,
                                       long lastSeq) {
        Set<String> expected = new TreeSet<>();
        segmentEnds.forEach((key, last) -> {
            if (last > floor || last == lastSeq) {
                expected.add(key);
            }
        });
        Set<String> left = new TreeSet<>(node.keysOf(h.id));
        left.retainAll(segmentEnds.keySet());
        assertThat(left).as("log segments left above seq %d", floor).isEqualTo(expected);
    }

    /**
     * With a spacing of kept versions within the TTL: GC keeps the newest of each span (by the commit times the
     * catalog stamped), the newest N, the current and the pinned versions, exactly; every object they name reads back
     * and nothing else of the collection is left, however the spans cut the history.
     */
    @Property(tries = 20)
    void withASpacingTheNewestVersionOfEachSpanKeepsEveryObjectItNames(
            @ForAll @Size(min = 1, max = 8) List<@Size(max = 3) Set<@IntRange(max = GcFixture.IDS - 1) Integer>> changes,
            @ForAll @Size(max = 2) Set<@IntRange(min = 1, max = 8) Integer> pins,
            @ForAll @IntRange(min = 1, max = 3) int keepVersions,
            @ForAll @IntRange(min = 0, max = 3) int spacingChoice) throws IOException {
        long spacing = new long[] {1, 3, 15, Duration.ofHours(1).toMillis()}[spacingChoice];
        Path dir = Files.createTempDirectory("gc-spacing-prop");
        try (GcFixture node = new GcFixture(dir)) {
            GcFixture.History h = node.newCollection("c");
            for (int i = 0; i < changes.size(); i++) {
                h.commit(changes.get(i), i % 2 == 0, 10L * (i + 1));
                if (i % 3 == 1) {
                    sleepMillis(2); // some versions a span apart at the short spacings
                }
            }
            long versions = h.version();
            Map<Long, VersionPins.Pin> held = new HashMap<>();
            pins.stream().filter(v -> v <= versions).forEach(v -> held.put((long) v, node.pins.pin(h.id, v)));
            List<VersionInfo> history = node.catalog.versions(h.id).stream()
                    .sorted(Comparator.comparingLong(VersionInfo::version)).toList();
            node.clock.advance(Duration.ofHours(1)); // past the grace period, well within the TTL
            GarbageCollector gc = node.gc(new GcOptions(keepVersions, Duration.ofDays(1).toMillis(), spacing, 60_000, 1_000));

            TreeSet<Long> kept = expectedKept(versions, keepVersions, held.keySet(), false);
            for (int i = 0; i < history.size(); i++) {
                boolean newestOfSpan = i + 1 == history.size()
                        || Math.floorDiv(history.get(i).createdAt().toEpochMilli(), spacing)
                        != Math.floorDiv(history.get(i + 1).createdAt().toEpochMilli(), spacing);
                if (newestOfSpan) {
                    kept.add(history.get(i).version());
                }
            }
            GcReport report = gc.runOnce();
            assertThat(report.failures()).isEmpty();
            assertThat(report.collection(h.id).orElseThrow().keptVersions()).containsExactlyElementsOf(kept);
            assertThat(node.keysOf(h.id)).isEqualTo(h.objectsOf(kept));
            assertReadable(node, h, kept);
            held.values().forEach(VersionPins.Pin::close);
        } finally {
            deleteTree(dir);
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The model of the keep rules when all versions were committed at about the same instant. */
    private static TreeSet<Long> expectedKept(long versions, int keepVersions, Set<Long> pinned, boolean all) {
        TreeSet<Long> kept = new TreeSet<>(pinned);
        for (long v = 1; v <= versions; v++) {
            if (all || v > versions - keepVersions) {
                kept.add(v);
            }
        }
        return kept;
    }

    private static void assertReadable(GcFixture node, GcFixture.History h, Set<Long> versions) {
        try (BlockCache cold = new BlockCache(node.store, 1 << 20)) {
            for (long v : versions) {
                Map<Long, Long> read = new HashMap<>();
                BlockfileReader.open(cold, h.idsRootOf(v), ValueType.LONG).entries()
                        .forEach(e -> read.put((Long) e.key().key(), e.value()));
                assertThat(read).as("version %d", v).isEqualTo(h.idsOf(v));
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
