package dev.strata.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A month of object-store cost extrapolated from the requests a node made over a window: each operation's count
 * scaled to 30 days and priced by its class ({@link CostPrices}), plus the stored bytes priced per GB-month.
 *
 * @param windowSeconds      how long the counted requests took (the node's uptime, or as given)
 * @param requests           requests counted over the window, per operation
 * @param monthlyRequests    those scaled to 30 days, per operation
 * @param monthlyCostByOp    dollars a month, per operation
 * @param storedBytes        bytes in the store, or null when not measured
 * @param prices             the prices used
 * @param monthlyRequestsTotal every operation's monthly requests
 * @param requestCost        dollars a month for the requests
 * @param storageCost        dollars a month for the stored bytes (0 when not measured)
 * @param totalCost          requests and storage
 */
public record CostEstimate(double windowSeconds, Map<String, Long> requests, Map<String, Long> monthlyRequests,
                           Map<String, Double> monthlyCostByOp, Long storedBytes, CostPrices prices,
                           long monthlyRequestsTotal, double requestCost, double storageCost, double totalCost) {

    public static final Duration MONTH = Duration.ofDays(30);
    private static final double GB = 1L << 30;

    public CostEstimate {
        requests = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(requests));
        monthlyRequests = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(monthlyRequests));
        monthlyCostByOp = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(monthlyCostByOp));
    }

    /**
     * @param requests per operation over {@code window}
     * @param storedBytes bytes in the store now, or null when unknown (storage then costs 0 in the total)
     */
    public static CostEstimate of(Map<String, Long> requests, Duration window, Long storedBytes, CostPrices prices) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, got " + window);
        }
        double seconds = window.toNanos() / 1e9;
        double scale = MONTH.toSeconds() / seconds;
        Map<String, Long> monthly = new LinkedHashMap<>();
        Map<String, Double> cost = new LinkedHashMap<>();
        requests.forEach((op, n) -> {
            long perMonth = Math.round(n * scale);
            monthly.put(op, perMonth);
            cost.put(op, perMonth / 1000.0 * prices.per1000(op));
        });
        long total = monthly.values().stream().mapToLong(Long::longValue).sum();
        double requestCost = cost.values().stream().mapToDouble(Double::doubleValue).sum();
        double storageCost = storedBytes == null ? 0 : storedBytes / GB * prices.storagePerGbMonth();
        return new CostEstimate(seconds, requests, monthly, cost, storedBytes, prices, total, requestCost, storageCost,
                requestCost + storageCost);
    }
}
