package dev.strata.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The official Chroma server (scripts/chroma-server: chromadb@3.5.0's Rust server) in a temporary folder on a free
 * loopback port. Skipped (an assumption) when node or bench/node_modules is missing, unless -Dstrata.require.js=true,
 * where that is a failure, as in JsClientSuiteTest. Closing sends SIGTERM, which the script turns into a clean stop.
 */
public final class ChromaServerProcess implements AutoCloseable {

    /** The repository root: the tests run in the module folder, java/server. */
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private final Process process;
    private final URI url;

    private ChromaServerProcess(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Starts a server and waits until it answers its heartbeat (the first run also fetches a private glibc). */
    public static ChromaServerProcess start(Path log) throws IOException, InterruptedException {
        boolean ready = Files.isRegularFile(ROOT.resolve("bench/node_modules/chromadb/dist/cli.mjs")) && JsClientSuite.nodeAvailable();
        if (Boolean.getBoolean("strata.require.js")) {
            org.assertj.core.api.Assertions.assertThat(ready)
                    .as("node and bench/node_modules are required (cd bench && npm ci)").isTrue();
        }
        assumeTrue(ready, "node or bench/node_modules missing: run `cd bench && npm ci`");
        Process p = new ProcessBuilder(ROOT.resolve("scripts/chroma-server").toString(), "--log", log.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".script").toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = firstLine.get(180, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("http")) {
                p.destroy();
                throw new IllegalStateException("chroma-server did not start; see " + log);
            }
            return new ChromaServerProcess(p, URI.create(line.trim()));
        } catch (ExecutionException | TimeoutException e) {
            p.destroy();
            throw new IllegalStateException("chroma-server did not print its URL; see " + log, e);
        }
    }

    public URI url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
