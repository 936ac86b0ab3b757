package dev.strata.gc;

import java.time.Duration;

/**
 * What garbage collection keeps and how often it runs.
 *
 * @param keepVersions the newest versions of each collection always kept (the current one among them), >= 1
 * @param versionTtlMs     versions committed less than this long ago are kept (one per {@code versionSpacingMs}),
 *                         >= 0
 * @param versionSpacingMs of the versions within the TTL, the newest committed in each span of this length (spans
 *                         aligned to the epoch) is kept: a restore point per span, whatever the compaction rate. 0
 *                         keeps every version within the TTL. >= 0
 * @param graceMs      an unreferenced object younger than this is left alone (it may belong to a compaction that
 *                     has not committed yet), and a version superseded less than this long ago is kept (a read may
 *                     have just picked it up), >= 0
 * @param intervalMs   pause between two background runs, > 0
 */
public record GcOptions(int keepVersions, long versionTtlMs, long versionSpacingMs, long graceMs, long intervalMs) {

    public static final int DEFAULT_KEEP_VERSIONS = 3;
    public static final long DEFAULT_VERSION_TTL_MS = Duration.ofDays(7).toMillis();
    public static final long DEFAULT_VERSION_SPACING_MS = Duration.ofHours(1).toMillis();
    public static final long DEFAULT_GRACE_MS = Duration.ofMinutes(10).toMillis();
    public static final long DEFAULT_INTERVAL_MS = Duration.ofMinutes(5).toMillis();

    public GcOptions {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("gc keep_versions must be >= 1 (the current version is always kept), got "
                    + keepVersions);
        }
        if (versionTtlMs < 0) {
            throw new IllegalArgumentException("gc version_ttl_ms must be >= 0, got " + versionTtlMs);
        }
        if (versionSpacingMs < 0) {
            throw new IllegalArgumentException("gc version_spacing_ms must be >= 0, got " + versionSpacingMs);
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("gc grace_ms must be >= 0, got " + graceMs);
        }
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("gc interval_ms must be > 0, got " + intervalMs);
        }
    }

    /** Every version within the TTL kept (no spacing): the policy before spans, kept for tests of the other rules. */
    public GcOptions(int keepVersions, long versionTtlMs, long graceMs, long intervalMs) {
        this(keepVersions, versionTtlMs, 0, graceMs, intervalMs);
    }

    /** Keep 3 versions and a week of hourly restore points, 10 minutes grace, a run every 5 minutes. */
    public static GcOptions defaults() {
        return new GcOptions(DEFAULT_KEEP_VERSIONS, DEFAULT_VERSION_TTL_MS, DEFAULT_VERSION_SPACING_MS, DEFAULT_GRACE_MS,
                DEFAULT_INTERVAL_MS);
    }

    public GcOptions withKeepVersions(int n) {
        return new GcOptions(n, versionTtlMs, versionSpacingMs, graceMs, intervalMs);
    }

    public GcOptions withVersionTtlMs(long ms) {
        return new GcOptions(keepVersions, ms, versionSpacingMs, graceMs, intervalMs);
    }

    public GcOptions withVersionSpacingMs(long ms) {
        return new GcOptions(keepVersions, versionTtlMs, ms, graceMs, intervalMs);
    }

    public GcOptions withGraceMs(long ms) {
        return new GcOptions(keepVersions, versionTtlMs, versionSpacingMs, ms, intervalMs);
    }

    public GcOptions withIntervalMs(long ms) {
        return new GcOptions(keepVersions, versionTtlMs, versionSpacingMs, graceMs, ms);
    }
}
