package dev.strata.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Request count and latency per route template, method and status, exposed by Prometheus as
 * strata_http_requests_seconds_{count,sum,max}. Templates (not raw paths) keep the label set bounded.
 */
final class HttpMetrics {

    static final String REQUESTS = "strata.http.requests";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String method, String route, int status, long nanos) {
        Timer.builder(REQUESTS)
                .description("HTTP requests by route template, method and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }
}
