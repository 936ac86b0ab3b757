package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.server.ServerOptions;
import dev.strata.server.StrataServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `strata serve`: opens the engine and serves Chroma's v2 API until SIGINT / SIGTERM, then stops the
 * server (requests in flight finish) and closes the engine. Every flag defaults to the environment
 * variable named in its description.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve Chroma's HTTP API v2 (connect with chromadb.HttpClient or the JS ChromaClient).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "${env:STRATA_HOST:-127.0.0.1}",
            description = "Address to listen on; 0.0.0.0 for every interface (env STRATA_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:STRATA_PORT:-8000}",
            description = "Port; 0 picks a free one (env STRATA_PORT, default ${DEFAULT-VALUE}).")
    int port;

    /** Every setting of the node (--path, --storage, --cache-memory-bytes...), each with its STRATA_* variable. */
    @Mixin
    NodeMixin node;

    @Option(names = "--max-body-bytes", defaultValue = "${env:STRATA_MAX_BODY_BYTES:-41943040}",
            description = "Largest request body; larger ones get 413 (env STRATA_MAX_BODY_BYTES, default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--allow-reset", defaultValue = "${env:STRATA_ALLOW_RESET:-false}",
            description = "Let POST /api/v2/reset delete data (env STRATA_ALLOW_RESET).")
    boolean allowReset;

    @Option(names = "--auth-tokens", split = ",", defaultValue = "${env:STRATA_AUTH_TOKENS}",
            description = "Comma-separated tokens; without any, no auth. TOKEN@TENANT binds a token to one tenant "
                    + "(env STRATA_AUTH_TOKENS).")
    List<String> authTokens;

    private final EngineOpener opener;
    private final AtomicBoolean stopped = new AtomicBoolean();

    ServeCommand(EngineOpener opener) {
        this.opener = opener;
    }

    ServerOptions serverOptions() {
        Settings settings = engineSettings();
        try {
            return new ServerOptions(host, port, maxBodyBytes, settings.maxBatchSize(), allowReset, tokens(), null,
                    settings.queryTimeoutMs());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The node's settings: the flags given, else their STRATA_* variables, else the defaults. */
    Settings engineSettings() {
        return node.settings();
    }

    /** token -> bound tenant (null = any). */
    private Map<String, String> tokens() {
        Map<String, String> out = new HashMap<>();
        if (authTokens != null) {
            for (String entry : authTokens) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int at = e.lastIndexOf('@');
                if (at == 0 || at == e.length() - 1) {
                    throw new IllegalArgumentException("Invalid auth token entry \"" + e + "\": expected TOKEN or TOKEN@TENANT");
                }
                out.put(at < 0 ? e : e.substring(0, at), at < 0 ? null : e.substring(at + 1));
            }
        }
        return out;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions options = serverOptions();
        Settings settings = engineSettings();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindProcessMeters(registry);
        Strata strata;
        try {
            strata = opener.open(settings, registry);
        } catch (EngineUnavailableException e) {
            spec.commandLine().getErr().println("strata serve: " + e.getMessage());
            return 1;
        }
        StrataServer server;
        try {
            server = new StrataServer(strata, options, registry).start();
        } catch (RuntimeException e) {
            strata.close();
            spec.commandLine().getErr().println("strata serve: " + e.getMessage());
            return 1;
        }
        // SIGINT and SIGTERM run the shutdown hooks: stop taking requests, then close the engine.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, strata), "strata-shutdown"));
        spec.commandLine().getOut().println("Strata listening on http://" + options.host() + ":" + server.port());
        spec.commandLine().getOut().flush();
        server.join();
        stop(server, strata);
        return 0;
    }

    /** The process's own health (heap, GC pauses, threads, CPU, uptime) next to the server's and engine's meters. */
    private static void bindProcessMeters(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // JvmGcMetrics listens for GC notifications until the process ends, so it is never closed.
        new JvmGcMetrics().bindTo(registry);
    }

    /**
     * How long a stop may take, from the signal to the engine closed: SIGTERM must end the process within 5 s under
     * any load (issue 12). The rest is the JVM's own exit, which took up to 0.4 s on the loaded 2-core build machine
     * (a safepoint with every thread busy, a heap to unmap), and slack for a scheduler that runs the stopping thread
     * late.
     */
    static final long STOP_BUDGET_MS = 3_500;

    /**
     * Stops the server (reads in flight cancelled, stalled writes refused, other writes given 2 s), then closes the
     * engine within what is left of {@link #STOP_BUDGET_MS}. An engine that does not close in time (a compaction
     * inside a native index build, an upload to a slow store) is left to the process's exit: the next start recovers
     * as after a crash, from the log, which holds every acknowledged write (fsync'd, or uploaded with durability s3)
     * before the acknowledgement.
     */
    private void stop(StrataServer server, Strata strata) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        long serverMs = -1;
        try {
            server.close();
            serverMs = elapsedMs(start);
        } finally {
            long engineStart = System.nanoTime();
            boolean closed = closeWithin(strata, Math.max(STOP_BUDGET_MS - elapsedMs(start), 500));
            String timing = "in " + elapsedMs(start) + " ms: server " + serverMs + " ms, engine " + elapsedMs(engineStart) + " ms";
            spec.commandLine().getErr().println(closed ? "strata serve: stopped, engine closed (" + timing + ")"
                    : "strata serve: stopped without waiting for the engine to close (" + timing + "; a compaction or"
                    + " an upload still running): the next start recovers from the log, which holds every acknowledged"
                    + " write");
            spec.commandLine().getErr().flush();
        }
    }

    /** Closes the engine on a thread of its own; whether it finished within {@code timeoutMs}. */
    private boolean closeWithin(Strata strata, long timeoutMs) {
        Thread closer = Thread.ofPlatform().name("strata-engine-close").daemon().start(() -> {
            try {
                strata.close();
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("strata serve: closing the engine failed: " + e.getMessage());
            }
        });
        try {
            return closer.join(java.time.Duration.ofMillis(timeoutMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
