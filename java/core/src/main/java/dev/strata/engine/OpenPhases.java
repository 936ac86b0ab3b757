package dev.strata.engine;

import java.util.concurrent.TimeUnit;

/**
 * How long each step of a node's open took, for one DEBUG line once it is open ("opened ... in 212 ms: kv 80,
 * lease 4, ..."): where a slow {@code Strata.open} spends its time, without a profiler.
 */
final class OpenPhases {

    private final long start = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long last = start;

    /** Ends the phase running since the previous call (or the start). */
    void done(String phase) {
        long now = System.nanoTime();
        phases.append(phases.isEmpty() ? "" : ", ").append(phase).append(' ')
                .append(TimeUnit.NANOSECONDS.toMillis(now - last));
        last = now;
    }

    long totalMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public String toString() {
        return phases.toString();
    }
}
