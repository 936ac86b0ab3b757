package dev.strata.gc;

import java.time.Duration;

/**
 * What garbage collection keeps and how often it runs.
 *
 * @param keepVersions the newest versions of each collection always kept (the current one among them), >= 1
 * @param versionTtlMs every version committed less than this long ago is kept, >= 0
 * @param graceMs      an unreferenced object younger than this is left alone (it may belong to a compaction that
 *                     has not committed yet), and a version superseded less than this long ago is kept (a read may
 *                     have just picked it up), >= 0
 * @param intervalMs   pause between two background runs, > 0
 */
public record GcOptions(int keepVersions, long versionTtlMs, long graceMs, long intervalMs) {

    public static final int DEFAULT_KEEP_VERSIONS = 3;
    public static final long DEFAULT_VERSION_TTL_MS = Duration.ofDays(7).toMillis();
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
        if (graceMs < 0) {
            throw new IllegalArgumentException("gc grace_ms must be >= 0, got " + graceMs);
        }
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("gc interval_ms must be > 0, got " + intervalMs);
        }
    }

    /** Keep 3 versions and a week of history, 10 minutes grace, a run every 5 minutes. */
    public static GcOptions defaults() {
        return new GcOptions(DEFAULT_KEEP_VERSIONS, DEFAULT_VERSION_TTL_MS, DEFAULT_GRACE_MS, DEFAULT_INTERVAL_MS);
    }

    public GcOptions withKeepVersions(int n) {
        return new GcOptions(n, versionTtlMs, graceMs, intervalMs);
    }

    public GcOptions withVersionTtlMs(long ms) {
        return new GcOptions(keepVersions, ms, graceMs, intervalMs);
    }

    public GcOptions withGraceMs(long ms) {
        return new GcOptions(keepVersions, versionTtlMs, ms, intervalMs);
    }

    public GcOptions withIntervalMs(long ms) {
        return new GcOptions(keepVersions, versionTtlMs, graceMs, ms);
    }
}
