package dev.strata.gc;

/** What a node's garbage collection runs (dry runs aside) have done since it opened, and the time they took. */
public record GcStats(long runs, long nanos, long objectsDeleted, long bytesDeleted) {

    public double seconds() {
        return nanos / 1e9;
    }
}
