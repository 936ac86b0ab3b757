package dev.strata.gc;

import java.util.Objects;

/** One object garbage collection deleted (or would delete), with its size from the listing. */
public record GcObject(String key, long bytes) {
    public GcObject {
        Objects.requireNonNull(key, "key");
    }
}
