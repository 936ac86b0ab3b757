package dev.strata.catalog;

/**
 * Catalog settings.
 *
 * @param keyPrefix    prefix of every catalog object key in the store ("" or ending in '/')
 * @param leaseTtlMs   how long a writer lease lasts without renewal on a store without conditional writes (judged on
 *                     wall clocks there); informational elsewhere
 * @param leaseRenewMs how often the holder renews it, its heartbeat (well under the stale interval; 0 disables
 *                     background renewal)
 * @param leaseStaleMs on a store with conditional writes, how long another node's lease must go unrenewed, watched
 *                     on this node's clock, before this node takes it over; also how long after its last renewal a
 *                     holder still counts itself the writer
 */
public record CatalogOptions(String keyPrefix, long leaseTtlMs, long leaseRenewMs, long leaseStaleMs) {
    public static final String MANIFEST_KEY = "catalog/manifest.json";
    public static final String LEASE_KEY = "lease.json";
    public static final long DEFAULT_LEASE_RENEW_MS = 1_000;
    public static final long DEFAULT_LEASE_STALE_MS = 3_000;
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
    }

    public static CatalogOptions defaults() {
        return new CatalogOptions("", DEFAULT_LEASE_TTL_MS, DEFAULT_LEASE_RENEW_MS, DEFAULT_LEASE_STALE_MS);
    }

    public CatalogOptions withKeyPrefix(String prefix) {
        return new CatalogOptions(prefix, leaseTtlMs, leaseRenewMs, leaseStaleMs);
    }

    /** These options with the heartbeat and stale interval given (the TTL at least 30 s and three renewals). */
    public CatalogOptions withLease(long renewMs, long staleMs) {
        return new CatalogOptions(keyPrefix, Math.max(DEFAULT_LEASE_TTL_MS, 3 * renewMs), renewMs, staleMs);
    }

    public String manifestKey() {
        return keyPrefix + MANIFEST_KEY;
    }

    public String leaseKey() {
        return keyPrefix + LEASE_KEY;
    }
}
