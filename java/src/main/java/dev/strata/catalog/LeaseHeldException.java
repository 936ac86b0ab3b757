package dev.strata.catalog;

import java.time.Instant;

/** Another node holds an unexpired writer lease on the bucket: this node may serve reads only. */
public class LeaseHeldException extends CatalogException {
    private final String holder;
    private final long epoch;
    private final Instant expiresAt;

    public LeaseHeldException(String key, String holder, long epoch, Instant expiresAt) {
        super("writer lease " + key + " is held by node " + holder + " (epoch " + epoch + ") until " + expiresAt);
        this.holder = holder;
        this.epoch = epoch;
        this.expiresAt = expiresAt;
    }

    public String holder() {
        return holder;
    }

    public long epoch() {
        return epoch;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
