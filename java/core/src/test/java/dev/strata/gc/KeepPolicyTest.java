package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.catalog.VersionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The keep rules on histories whose versions have distinct ages (the catalog stamps real commit times). */
class KeepPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    /** Versions 1..n committed {@code ages[i]} minutes ago. */
    private static List<VersionInfo> history(long... agesMinutes) {
        return IntStream.range(0, agesMinutes.length)
                .mapToObj(i -> new VersionInfo(i + 1, "v" + (i + 1), NOW.minus(Duration.ofMinutes(agesMinutes[i])), i))
                .toList();
    }

    private static KeepPolicy policy(int keep, Duration ttl, Duration grace) {
        return new KeepPolicy(new GcOptions(keep, ttl.toMillis(), grace.toMillis(), 1_000));
    }

    @Test
    void keepsTheNewestNAndWhatIsYoungerThanTheTtl() {
        List<VersionInfo> h = history(600, 500, 400, 90, 30, 20);
        assertThat(policy(2, Duration.ofMinutes(100), Duration.ZERO).keep(6, h, Set.of(), NOW))
                .containsExactly(4L, 5L, 6L);
        assertThat(policy(4, Duration.ZERO, Duration.ZERO).keep(6, h, Set.of(), NOW))
                .containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void eachKeptVersionIsNamedByTheStrongestRuleThatKeepsIt() {
        // v1..v7 committed 900, 800, 700, 90, 30, 20, 10 minutes ago; v7 current, newest 2, TTL 100 min, grace 25 min
        List<VersionInfo> h = history(900, 800, 700, 90, 30, 20, 10);
        KeepPolicy p = policy(2, Duration.ofMinutes(100), Duration.ofMinutes(25));
        // v1 pinned and old; v6 is newest, pinned and young: newest wins; v4, v5 young; v3 superseded 90 min ago: gone
        assertThat(p.reasons(7, h, Set.of(1L, 6L), NOW)).containsExactly(java.util.Map.entry(1L, Retained.PINNED),
                java.util.Map.entry(4L, Retained.TTL), java.util.Map.entry(5L, Retained.TTL),
                java.util.Map.entry(6L, Retained.NEWEST), java.util.Map.entry(7L, Retained.CURRENT));
        assertThat(p.keep(7, h, Set.of(1L, 6L), NOW)).containsExactlyElementsOf(p.reasons(7, h, Set.of(1L, 6L), NOW).keySet());
        // no TTL: v5 was current until 20 minutes ago, within the grace period
        KeepPolicy noTtl = policy(1, Duration.ZERO, Duration.ofMinutes(25));
        assertThat(noTtl.reasons(7, h, Set.of(9L), NOW)).containsExactly(java.util.Map.entry(5L, Retained.GRACE),
                java.util.Map.entry(6L, Retained.GRACE), java.util.Map.entry(7L, Retained.CURRENT),
                java.util.Map.entry(9L, Retained.PINNED));
    }

    @Test
    void withinTheTtlASpacingKeepsTheNewestVersionOfEachSpan() {
        // NOW is 12:00. Versions at 02:00 | 09:10, 09:30, 09:50 | 10:59 | 11:01, 11:20, 11:55, 11:59 (current).
        List<VersionInfo> h = history(600, 170, 150, 130, 61, 59, 40, 5, 1);
        GcOptions hourly = new GcOptions(1, Duration.ofDays(1).toMillis(), Duration.ofHours(1).toMillis(), 0, 1_000);
        assertThat(new KeepPolicy(hourly).reasons(9, h, Set.of(), NOW)).containsExactly(
                java.util.Map.entry(1L, Retained.TTL), java.util.Map.entry(4L, Retained.TTL),
                java.util.Map.entry(5L, Retained.TTL), java.util.Map.entry(9L, Retained.CURRENT));
        // The grace period still keeps the versions superseded within it (v7 until 11:55, v8 until 11:59).
        assertThat(new KeepPolicy(hourly.withGraceMs(Duration.ofMinutes(10).toMillis())).keep(9, h, Set.of(), NOW))
                .containsExactly(1L, 4L, 5L, 7L, 8L, 9L);
        // The TTL still bounds the spans: a version older than it is not kept for being the newest of its hour.
        assertThat(new KeepPolicy(hourly.withVersionTtlMs(Duration.ofHours(3).toMillis())).keep(9, h, Set.of(), NOW))
                .containsExactly(4L, 5L, 9L);
        // Spacing 0: every version within the TTL, as before spans.
        assertThat(new KeepPolicy(hourly.withVersionSpacingMs(0)).keep(9, h, Set.of(), NOW)).hasSize(9);
    }

    @Test
    void keepsAVersionSupersededWithinTheGracePeriod() {
        List<VersionInfo> h = history(600, 500, 8, 5);
        // version 3 was current until 5 minutes ago, version 2 until 8 minutes ago
        assertThat(policy(1, Duration.ZERO, Duration.ofMinutes(6)).keep(4, h, Set.of(), NOW)).containsExactly(3L, 4L);
        assertThat(policy(1, Duration.ZERO, Duration.ofMinutes(10)).keep(4, h, Set.of(), NOW))
                .containsExactly(2L, 3L, 4L);
    }

    @Test
    void keepsPinnedAndCurrentVersionsButNeverVersionZero() {
        List<VersionInfo> h = history(600, 500, 400);
        assertThat(policy(1, Duration.ZERO, Duration.ZERO).keep(3, h, Set.of(1L, 0L), NOW)).containsExactly(1L, 3L);
        assertThat(policy(3, Duration.ofDays(1), Duration.ofDays(1)).keep(0, List.of(), Set.of(0L), NOW)).isEmpty();
    }

    @Test
    void theCurrentVersionIsKeptEvenWhenTheHistoryDoesNotListItYet() {
        List<VersionInfo> h = history(600, 500);
        assertThat(policy(1, Duration.ZERO, Duration.ZERO).keep(3, h, Set.of(), NOW)).containsExactly(2L, 3L);
    }

    @Test
    void onlyTheCurrentJustSupersededAndPinnedVersionsReadTheLog() {
        List<VersionInfo> h = history(600, 500, 400, 8, 5);
        // versions 1..5 kept by the TTL; version 4 was current until 5 minutes ago, version 3 until 8 minutes ago
        KeepPolicy p = policy(3, Duration.ofDays(1), Duration.ofMinutes(6));
        assertThat(p.keep(5, h, Set.of(1L), NOW)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(p.logReaders(5, h, Set.of(), NOW)).containsExactly(4L, 5L);
        assertThat(p.logReaders(5, h, Set.of(1L, 0L), NOW)).containsExactly(1L, 4L, 5L);
        assertThat(policy(1, Duration.ZERO, Duration.ZERO).logReaders(0, List.of(), Set.of(), NOW)).isEmpty();
    }
}
