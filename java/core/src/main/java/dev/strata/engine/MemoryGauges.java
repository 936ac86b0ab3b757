package dev.strata.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * The node's memory breakdown as gauges: {@code strata_memory_bytes{part=...}} (the parts, which sum to the RSS),
 * {@code strata_memory_rss_bytes} and {@code strata_memory_detail_bytes{what=...}} (figures within the parts).
 * One scrape reads every gauge; they share one breakdown taken at most {@link #MAX_AGE_NANOS} earlier, so a scrape
 * reads {@code /proc/self/smaps} once and its parts add up. The gauges hold this object strongly: nothing else
 * does, and Micrometer's default weak reference would let it be collected (the gauges then read NaN).
 */
final class MemoryGauges {

    static final String PARTS = "strata.memory.bytes";
    static final String RSS = "strata.memory.rss.bytes";
    static final String DETAILS = "strata.memory.detail.bytes";
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final EmbeddedStrata strata;
    private MemoryBreakdown last;
    private long takenAt;

    private MemoryGauges(EmbeddedStrata strata) {
        this.strata = strata;
    }

    static void bind(EmbeddedStrata strata, MeterRegistry registry) {
        MemoryGauges gauges = new MemoryGauges(strata);
        // The names only: the first scrape takes the first breakdown.
        MemoryBreakdown first = MemoryBreakdown.shape(strata);
        for (String part : first.parts().keySet()) {
            Gauge.builder(PARTS, gauges, g -> g.breakdown().parts().getOrDefault(part, 0L)).tag("part", part)
                    .description("resident memory by part; the parts sum to the RSS (docs/ops.md says how each is"
                            + " measured)").baseUnit("bytes").strongReference(true).register(registry);
        }
        if (first.rssBytes() >= 0) {
            Gauge.builder(RSS, gauges, g -> g.breakdown().rssBytes())
                    .description("resident set size of the process (/proc/self/smaps)").baseUnit("bytes")
                    .strongReference(true).register(registry);
        }
        for (Map.Entry<String, Long> detail : first.details().entrySet()) {
            String what = detail.getKey();
            Gauge.builder(DETAILS, gauges, g -> g.breakdown().details().getOrDefault(what, 0L)).tag("what", what)
                    .description("memory figures within the parts of strata_memory_bytes").baseUnit("bytes")
                    .strongReference(true).register(registry);
        }
    }

    /** The breakdown of at most a second ago. */
    synchronized MemoryBreakdown breakdown() {
        long now = System.nanoTime();
        if (last == null || now - takenAt > MAX_AGE_NANOS) {
            last = MemoryBreakdown.of(strata);
            takenAt = now;
        }
        return last;
    }
}
