package dev.strata.catalog;

import java.time.Instant;

/** Another node holds a live (renewed, or unexpired) writer lease on the bucket: this node may serve reads only. */
public class LeaseHeldException extends CatalogException {
    private final String holder;
    private final long epoch;
    private final Instant expiresAt;

    public LeaseHeldException(String key, String holder, long epoch, Instant expiresAt) {
        this(holder, epoch, expiresAt,
                "writer lease " + key + " is held by node " + holder + " (epoch " + epoch + ") until " + expiresAt);
    }

    /** The lease of {@code holder} is live for the reason {@code message} gives. */
    public LeaseHeldException(String holder, long epoch, Instant expiresAt, String message) {
        super(message);
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
