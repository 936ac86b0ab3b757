package dev.strata.catalog;

import dev.strata.storage.ObjectLayout;

/**
 * Catalog settings.
 *
 * @param keyPrefix    prefix of every catalog object key in the store ("" or ending in '/')
 * @param leaseTtlMs   how long a writer lease lasts without renewal on a store without conditional writes (judged on
 *                     wall clocks there); informational elsewhere
 * @param leaseRenewMs how often the holder renews it, its heartbeat while no standby watches (well under the stale
 *                     interval; 0 disables background renewal)
 * @param leaseStaleMs on a store with conditional writes, the stale interval a holder keeps while no standby watches:
 *                     how long after its last renewal it still counts itself the writer, and so how long another node
 *                     watches its lease go unrenewed before taking it over (the holder writes it into the lease)
 * @param leaseStandbyRenewMs the heartbeat while a standby's beacon shows one watching (at most leaseRenewMs)
 * @param leaseStandbyStaleMs the stale interval while a standby watches (at most leaseStaleMs)
 */
public record CatalogOptions(String keyPrefix, long leaseTtlMs, long leaseRenewMs, long leaseStaleMs,
                             long leaseStandbyRenewMs, long leaseStandbyStaleMs) {
    public static final long DEFAULT_LEASE_RENEW_MS = 10_000;
    public static final long DEFAULT_LEASE_STALE_MS = 30_000;
    public static final long DEFAULT_LEASE_STANDBY_RENEW_MS = 1_000;
    public static final long DEFAULT_LEASE_STANDBY_STALE_MS = 3_000;
    private static final long DEFAULT_LEASE_TTL_MS = 30_000;

    public CatalogOptions {
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
            keyPrefix = keyPrefix + "/";
        }
        if (leaseTtlMs <= 0) {
            throw new IllegalArgumentException("leaseTtlMs must be positive, got " + leaseTtlMs);
        }
        if (leaseRenewMs < 0 || leaseRenewMs >= leaseTtlMs) {
            throw new IllegalArgumentException("leaseRenewMs must be in [0, leaseTtlMs), got " + leaseRenewMs);
        }
        if (leaseStaleMs <= leaseRenewMs) {
            throw new IllegalArgumentException("leaseStaleMs must exceed leaseRenewMs, got " + leaseStaleMs);
        }
        // A standby never makes the writer's heartbeat slower than it is unwatched.
        leaseStandbyRenewMs = Math.min(leaseStandbyRenewMs, leaseRenewMs);
        leaseStandbyStaleMs = Math.min(leaseStandbyStaleMs, leaseStaleMs);
        if (leaseStandbyStaleMs <= leaseStandbyRenewMs) {
            throw new IllegalArgumentException("leaseStandbyStaleMs must exceed leaseStandbyRenewMs, got "
                    + leaseStandbyStaleMs + " and " + leaseStandbyRenewMs);
        }
    }

    public static CatalogOptions defaults() {
        return new CatalogOptions("", DEFAULT_LEASE_TTL_MS, DEFAULT_LEASE_RENEW_MS, DEFAULT_LEASE_STALE_MS,
                DEFAULT_LEASE_STANDBY_RENEW_MS, DEFAULT_LEASE_STANDBY_STALE_MS);
    }

    public CatalogOptions withKeyPrefix(String prefix) {
        return new CatalogOptions(prefix, leaseTtlMs, leaseRenewMs, leaseStaleMs, leaseStandbyRenewMs,
                leaseStandbyStaleMs);
    }

    /**
     * These options with the heartbeats and stale intervals given, unwatched and while a standby watches (the TTL
     * at least 30 s and three renewals).
     */
    public CatalogOptions withLease(long renewMs, long staleMs, long standbyRenewMs, long standbyStaleMs) {
        return new CatalogOptions(keyPrefix, Math.max(DEFAULT_LEASE_TTL_MS, 3 * renewMs), renewMs, staleMs,
                standbyRenewMs, standbyStaleMs);
    }

    /** The writer's heartbeat these options describe. */
    public LeaseHeartbeat heartbeat() {
        return new LeaseHeartbeat(leaseRenewMs, leaseStaleMs, leaseStandbyRenewMs, leaseStandbyStaleMs);
    }

    public String standbyBeaconKey() {
        return keyPrefix + ObjectLayout.STANDBY_BEACON;
    }

    public String manifestKey() {
        return keyPrefix + ObjectLayout.CATALOG_MANIFEST;
    }

    public String leaseKey() {
        return keyPrefix + ObjectLayout.LEASE;
    }
}
