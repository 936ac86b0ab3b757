package dev.strata.catalog;

/**
 * Catalog settings.
 *
 * @param keyPrefix    prefix of every catalog object key in the store ("" or ending in '/')
 * @param leaseTtlMs   how long a writer lease lasts without renewal
 * @param leaseRenewMs how often the holder renews it (well under the TTL; 0 disables background renewal)
 */
public record CatalogOptions(String keyPrefix, long leaseTtlMs, long leaseRenewMs) {
    public static final String MANIFEST_KEY = "catalog/manifest.json";
    public static final String LEASE_KEY = "lease.json";

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
    }

    public static CatalogOptions defaults() {
        return new CatalogOptions("", 30_000, 10_000);
    }

    public CatalogOptions withKeyPrefix(String prefix) {
        return new CatalogOptions(prefix, leaseTtlMs, leaseRenewMs);
    }

    public String manifestKey() {
        return keyPrefix + MANIFEST_KEY;
    }

    public String leaseKey() {
        return keyPrefix + LEASE_KEY;
    }
}
