package dev.strata.catalog;

import java.util.concurrent.TimeUnit;

/**
 * How often a writer renews its lease and the stale interval it keeps, in its two modes: unwatched ({@code renewMs},
 * {@code staleMs}: few requests, a crashed writer replaced slowly) and while a standby's beacon shows one watching
 * ({@code standbyRenewMs}, {@code standbyStaleMs}: a PUT a second, a takeover in seconds). The lease is the cost of
 * an idle node: at the defaults, one PUT every 10 s is 259k PUTs a month ($1.30 at $0.005/1k) where one a second
 * would be 2.6M ($13).
 */
public record LeaseHeartbeat(long renewMs, long staleMs, long standbyRenewMs, long standbyStaleMs) {

    public LeaseHeartbeat {
        if (renewMs < 0 || staleMs <= renewMs || standbyRenewMs < 0 || standbyRenewMs > renewMs
                || standbyStaleMs <= standbyRenewMs || standbyStaleMs > staleMs) {
            throw new IllegalArgumentException("need 0 <= renewMs < staleMs and 0 <= standbyRenewMs < standbyStaleMs,"
                    + " each at most its unwatched counterpart; got " + renewMs + ", " + staleMs + ", "
                    + standbyRenewMs + ", " + standbyStaleMs);
        }
    }

    /** One heartbeat whether watched or not (no beacon is read). */
    public static LeaseHeartbeat fixed(long renewMs, long staleMs) {
        return new LeaseHeartbeat(renewMs, staleMs, renewMs, staleMs);
    }

    /** True when a standby changes nothing, so the writer need not look for one. */
    public boolean adaptive() {
        return standbyRenewMs != renewMs || standbyStaleMs != staleMs;
    }

    long renewMs(boolean watched) {
        return watched ? standbyRenewMs : renewMs;
    }

    long staleMs(boolean watched) {
        return watched ? standbyStaleMs : staleMs;
    }

    /**
     * How long after a beacon last changed the writer still counts a standby watching: three of its beats. A standby
     * rewrites its beacon every {@code renewMs}; the writer looks once per grace period while unwatched and every
     * {@code renewMs} while watched.
     */
    long beaconGraceNanos() {
        return TimeUnit.MILLISECONDS.toNanos(3 * Math.max(renewMs, 1));
    }
}
