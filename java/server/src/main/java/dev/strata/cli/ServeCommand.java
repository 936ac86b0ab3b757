package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.engine.EmbeddedStrata;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `strata serve`: opens the engine and serves Chroma's v2 API until SIGINT / SIGTERM, then stops the
 * server (requests in flight finish) and closes the engine. Every flag defaults to the environment
 * variable named in its description.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.ServeRows.class,
        description = "Serve Chroma's HTTP API v2 (connect with chromadb.HttpClient or the JS ChromaClient).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Every setting of the node (--path, --storage, --cache-memory-bytes...), each with its STRATA_* variable. */
    @Mixin
    NodeMixin node;

    private final EngineOpener opener;
    private final AtomicBoolean stopped = new AtomicBoolean();

    ServeCommand(EngineOpener opener) {
        this.opener = opener;
    }

    /** The HTTP server's settings (--host, --port...: rows of scope SERVER), with the node's it announces. */
    ServerOptions serverOptions() {
        Settings settings = engineSettings();
        Map<String, String> env = System.getenv();
        try {
            return new ServerOptions(value(Settings.HOST, env), value(Settings.PORT, env),
                    value(Settings.MAX_BODY_BYTES, env), settings.maxBatchSize(), value(Settings.ALLOW_RESET, env),
                    tokens(value(Settings.AUTH_TOKENS, env)), null, settings.queryTimeoutMs());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The node's settings: the flags given, else their STRATA_* variables, else the defaults. */
    Settings engineSettings() {
        return node.settings();
    }

    private <T> T value(dev.strata.api.Setting<T> setting, Map<String, String> env) {
        return SettingOptions.value(spec, setting, env);
    }

    /** token -> bound tenant (null = any), from a comma-separated list. */
    private static Map<String, String> tokens(String authTokens) {
        Map<String, String> out = new HashMap<>();
        if (authTokens != null) {
            for (String entry : authTokens.split(",")) {
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
        long start = System.nanoTime();
        ServerOptions options = serverOptions();
        Settings settings = engineSettings();
        long settingsDone = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The JVM's meters bind on another core while the engine opens (mostly file I/O and native loading):
        // about 0.14 s of a fresh start that nothing needs until the first scrape. The registry is thread-safe.
        Thread processMeters = Thread.ofPlatform().daemon().name("strata-process-meters").start(() -> bindProcessMeters(registry));
        long metersDone = System.nanoTime();
        Strata strata;
        try {
            strata = opener.open(settings, registry);
        } catch (EngineUnavailableException e) {
            spec.commandLine().getErr().println("strata serve: " + e.getMessage());
            return 1;
        }
        EmbeddedStrata.warmUpBlockReads(); // while the HTTP server starts
        if (strata instanceof EmbeddedStrata engine) {
            engine.openCollectionsWithSavedGraphs(); // those in use when it stopped: their graphs load meanwhile too
        }
        processMeters.join();
        long engineDone = System.nanoTime();
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
        // Where a start went (issue 16): the JVM's own start, main to this command, then each step of it. The JVM's
        // uptime is cheap here: the process meters above already loaded the management beans.
        long now = System.nanoTime();
        long sinceMainMs = (now - Main.MAIN_STARTED) / 1_000_000;
        long jvmMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() - sinceMainMs;
        spec.commandLine().getErr().println("strata serve: started in " + (jvmMs + sinceMainMs) + " ms: JVM "
                + jvmMs + " ms, logging and command line " + (start - Main.MAIN_STARTED) / 1_000_000 + " ms, settings "
                + (settingsDone - start) / 1_000_000 + " ms, registry " + (metersDone - settingsDone) / 1_000_000
                + " ms, engine and the JVM's meters " + (engineDone - metersDone) / 1_000_000 + " ms, HTTP server "
                + (now - engineDone) / 1_000_000 + " ms");
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
