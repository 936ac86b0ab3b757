package dev.strata.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A running node's resident memory by part, read from its {@code /metrics}: the engine publishes the parts as
 * {@code strata_memory_bytes{part=...}} (they sum to the RSS), the RSS as {@code strata_memory_rss_bytes} and
 * figures within the parts as {@code strata_memory_detail_bytes{what=...}}.
 *
 * @param rssBytes the process's resident set; null when the node could not read it (not Linux)
 * @param parts    resident bytes by part, largest first
 * @param details  figures that overlap the parts (heap_used within heap, ...), largest first
 */
public record MemoryReport(Long rssBytes, Map<String, Long> parts, Map<String, Long> details) {

    public static final String PARTS = "strata_memory_bytes";
    public static final String RSS = "strata_memory_rss_bytes";
    public static final String DETAILS = "strata_memory_detail_bytes";

    public MemoryReport {
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The breakdown in a scrape; empty parts when the node publishes none (not a Strata node, or an old one). */
    public static MemoryReport from(PrometheusCounters scrape) {
        OptionalDouble rss = scrape.value(RSS);
        return new MemoryReport(rss.isPresent() ? Math.round(rss.getAsDouble()) : null,
                largestFirst(scrape.byLabel(PARTS, "part")), largestFirst(scrape.byLabel(DETAILS, "what")));
    }

    private static Map<String, Long> largestFirst(Map<String, Double> bytes) {
        Map<String, Long> out = new LinkedHashMap<>();
        bytes.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue())));
        return out;
    }
}
