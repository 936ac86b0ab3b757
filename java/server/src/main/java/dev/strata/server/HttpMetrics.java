package dev.strata.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Request count and latency per route template, method and status, exposed by Prometheus as
 * strata_http_requests_seconds_{count,sum,max}. Templates (not raw paths) keep the label set bounded. Reads
 * cancelled while they ran are counted by cause: strata_http_reads_cancelled_total{cause}.
 */
final class HttpMetrics {

    static final String REQUESTS = "strata.http.requests";
    static final String READS_CANCELLED = "strata.http.reads.cancelled";
    /** A read's client closed its connection while the read ran. */
    static final String CLIENT_CLOSED = "client_closed";
    /** The node began to stop while the read ran. */
    static final String STOPPING = "stopping";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Same meter as the engine's query stages (tail, filter, search, read): the server's own stages beside them. */
    static final String QUERY_STAGE = "strata.query.stage";

    /** The timer of one server-side stage of a k-NN query: parse (body to request), convert (result to JSON tree), write (JSON bytes). */
    Timer queryStage(String stage) {
        return Timer.builder(QUERY_STAGE).description("time of one stage of a k-NN query")
                .tag("stage", stage).publishPercentiles(0.5, 0.99).register(registry);
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

    void readCancelled(String cause) {
        Counter.builder(READS_CANCELLED)
                .description("Reads cancelled while they ran, by cause (client_closed, stopping)")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }
}
