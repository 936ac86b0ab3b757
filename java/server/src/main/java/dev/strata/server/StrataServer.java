package dev.strata.server;

import dev.strata.api.Strata;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Chroma v2 HTTP server over an embedded {@link Strata}: Jetty 12 core handlers, one virtual
 * thread per request. Also serves /metrics (Prometheus), /healthz/live and /healthz/ready.
 *
 * <p>The server does not own the Strata instance: whoever opened it closes it after {@link #close()}.
 */
public final class StrataServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StrataServer.class);


    /**
     * How long a stop waits for requests in flight before it cuts them. Reads in flight are cancelled first (they
     * stop within milliseconds), so this bounds writes waiting for their fsync or upload; SIGTERM must stop the
     * node within 5 s, engine close included.
     */
    static final long STOP_TIMEOUT_MS = 2_000;

    private final Strata strata;
    private final ServerOptions options;
    private final PrometheusMeterRegistry registry;
    private final Server jetty;
    private final ServerConnector connector;
    private final ReadWorkers reads;
    private final DisconnectWatch disconnects = new DisconnectWatch();
    private final HttpMetrics metrics;
    private final ApiHandler handler;
    private final java.util.concurrent.ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean ready;

    public StrataServer(Strata strata, ServerOptions options) {
        this(strata, options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** With a registry the engine also registers its meters on, so that /metrics shows both. */
    public StrataServer(Strata strata, ServerOptions options, PrometheusMeterRegistry registry) {
        this(strata, options, registry, ReadWorkers.forThisMachine());
    }

    /** With the given read workers (tests bound them to see a worker freed). */
    StrataServer(Strata strata, ServerOptions options, PrometheusMeterRegistry registry, ReadWorkers reads) {
        this.strata = strata;
        this.reads = reads;
        this.metrics = new HttpMetrics(registry);
        this.options = options;
        this.registry = registry;

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("strata-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());

        Router router = new Router();
        registerOperations(router);
        new ChromaApi(strata, options, metrics).register(router);
        handler = new ApiHandler(router, new TokenAuth(options.authTokens()), metrics, options.maxBodyBytes(), requests,
                reads, options.readWaitMs(), disconnects);
        jetty.setHandler(new GracefulHandler(handler));
        jetty.setStopTimeout(STOP_TIMEOUT_MS);
    }

    private void registerOperations(Router router) {
        router.addOpen("GET", "/healthz/live", call -> HttpAnswer.ok(Map.of("status", "live")));
        router.addOpen("GET", "/healthz/ready", call -> ready
                ? HttpAnswer.ok(Map.of("status", "ready"))
                : new HttpAnswer(503, ChromaJson.error("ServiceUnavailableError", "Strata is starting or stopping")));
        router.add("GET", "/metrics", call -> HttpAnswer.ok(new HttpAnswer.Text(
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
    }

    /** Binds and starts serving; returns once the port is open. */
    public StrataServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the HTTP server on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
        ready = true;
        return this;
    }

    /** The bound port (the chosen one when the options said 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return options.host();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public Strata strata() {
        return strata;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting requests, lets running ones finish (Jetty's graceful stop) and releases the port. */
    @Override
    public void close() {
        ready = false;
        handler.stopping();
        for (int i = reads.cancelAll("the node is stopping"); i > 0; i--) {
            metrics.readCancelled(HttpMetrics.STOPPING);
        }
        try {
            jetty.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // Requests still running after the grace period were cut off; the server is stopped all the same.
            LOG.warn("HTTP server stopped with requests still running after {} ms", STOP_TIMEOUT_MS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the HTTP server: " + e.getMessage(), e);
        } finally {
            reads.close();
            disconnects.close();
            requests.shutdown();
        }
    }
}
