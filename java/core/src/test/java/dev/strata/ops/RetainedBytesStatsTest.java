package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.catalog.CollectionRecord;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.gc.GarbageCollector;
import dev.strata.gc.GcOptions;
import dev.strata.gc.GcReport;
import dev.strata.gc.Retained;
import dev.strata.gc.RetainedBytes;
import dev.strata.gc.RetentionMeter;
import dev.strata.segment.VersionPins;
import dev.strata.storage.ObjectMeta;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata stats}: retained bytes by reason on a real local store after several compactions. Each number is
 * checked against what the GC itself then deletes or keeps, so the sums are exact and agree with the GC's rule.
 */
class RetainedBytesStatsTest {

    private static final int DIMENSION = 8;
    private static final Duration TTL = Duration.ofDays(7);

    @TempDir
    Path dir;

    @Test
    void retainedBytesByReasonSumToTheStoredBytesAndMatchWhatGcKeeps() {
        Settings settings = Settings.defaults(dir).with("STRATA_COMPACTION_INTERVAL_MS", "3600000")
                .with("STRATA_COMPACTION_THRESHOLD_RECORDS", "1000000");
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            Collection c = strata.database().createCollection("kept", null, null);
            c.add(records(0, 200));
            c.compact();
            for (int round = 1; round <= 4; round++) {
                c.upsert(records(round * 10, 5)); // a few records change: most blocks are shared with the last version
                c.compact();
            }
            Instant later = Instant.now().plus(TTL).plus(Duration.ofDays(1)); // every version past the TTL and grace
            GcOptions keepTwo = GcOptions.defaults().withKeepVersions(2).withVersionTtlMs(TTL.toMillis())
                    .withVersionSpacingMs(0).withGraceMs(0);

            CollectionStats before = stats(strata, keepTwo, later);
            assertThat(before.warning()).isNull();
            assertThat(before.version()).isEqualTo(5);
            assertThat(sum(before.retainedBytes())).as("every stored byte once").isEqualTo(before.totalBytes());
            assertThat(before.retainedBytes().get("current")).isPositive();
            assertThat(before.retainedBytes().get("newest")).as("v4's own blocks and manifest").isPositive()
                    .isLessThan(before.retainedBytes().get("current"));
            assertThat(before.retainedBytes()).doesNotContainKeys("ttl", "pinned", "grace");
            assertThat(before.retainedBytes().get("expired")).as("manifests of v1-v3").isPositive();

            // What the GC keeps is exactly what stats called kept.
            GarbageCollector gc = gc(strata, keepTwo, later);
            GcReport run = gc.runOnce();
            assertThat(run.failures()).isEmpty();
            assertThat(run.bytesDeleted()).isEqualTo(dueForGc(before));
            assertThat(storedBytes(strata, c)).isEqualTo(before.totalBytes() - dueForGc(before));

            CollectionStats afterGc = stats(strata, keepTwo, later);
            assertThat(sum(afterGc.retainedBytes())).isEqualTo(afterGc.totalBytes());
            long newest = afterGc.retainedBytes().get("newest");
            assertThat(afterGc.retainedBytes().get("current")).isEqualTo(before.retainedBytes().get("current"));
            assertThat(newest).isEqualTo(before.retainedBytes().get("newest"));

            // Keeping one version and a TTL that still covers v4: its bytes move from "newest" to "ttl".
            GcOptions keepOne = keepTwo.withKeepVersions(1);
            CollectionStats byTtl = stats(strata, keepOne, Instant.now());
            assertThat(byTtl.retainedBytes().get("ttl")).isEqualTo(newest);
            assertThat(byTtl.retainedBytes()).doesNotContainKey("newest");

            // A pin on v4 keeps the same bytes, now as "pinned" (stats of a stopped node pins nothing: the meter does).
            CollectionRecord record = strata.catalog().allCollections().getFirst();
            try (var cache = new dev.strata.storage.BlockCache(strata.store(), 16L << 20)) {
                RetainedBytes pinned = new RetentionMeter(cache, keepOne).measure(List.of(record),
                        id -> strata.catalog().versions(id), id -> Set.of(4L), later).get(record.id());
                assertThat(pinned.bytes(Retained.PINNED)).isEqualTo(newest);
                assertThat(pinned.totalBytes()).isEqualTo(afterGc.totalBytes());
            }

            // Keeping one version past the TTL: v4's bytes are what the next GC deletes, and it deletes exactly them.
            CollectionStats keepingOne = stats(strata, keepOne, later);
            assertThat(keepingOne.retainedBytes().get("expired") + keepingOne.retainedBytes().get("unreferenced"))
                    .isEqualTo(newest);
            assertThat(gc(strata, keepOne, later).runOnce().bytesDeleted()).isEqualTo(newest);
            CollectionStats last = stats(strata, keepOne, later);
            assertThat(last.totalBytes()).isEqualTo(afterGc.totalBytes() - newest);
            assertThat(last.retainedBytes().get("current")).isEqualTo(afterGc.retainedBytes().get("current"));
        }
    }

    private static CollectionStats stats(EmbeddedStrata strata, GcOptions options, Instant now) {
        return new StatsCollector(strata.store()).withRetention(options, Clock.fixed(now, ZoneOffset.UTC)).collect()
                .collections().getFirst();
    }

    private static GarbageCollector gc(EmbeddedStrata strata, GcOptions options, Instant now) {
        return new GarbageCollector(strata.catalog(), strata.cache(), new VersionPins(), strata.wal(), options,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static long dueForGc(CollectionStats s) {
        long due = 0;
        for (Retained r : Retained.values()) {
            if (!r.keptByGc()) {
                due += s.retainedBytes().getOrDefault(r.label(), 0L);
            }
        }
        return due;
    }

    private static long sum(Map<String, Long> bytes) {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long storedBytes(EmbeddedStrata strata, Collection c) {
        UUID id = strata.catalog().allCollections().getFirst().id();
        return strata.store().list("c/" + id + "/").stream().mapToLong(ObjectMeta::size).sum();
    }

    private static RecordSet records(int from, int n) {
        List<String> ids = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            ids.add("id-" + i);
            documents.add("document " + i + " written at " + System.nanoTime());
            float[] v = new float[DIMENSION];
            v[i % DIMENSION] = i + 1;
            vectors.add(v);
        }
        return RecordSet.builder().ids(ids).documents(documents).embeddings(vectors).build();
    }
}
