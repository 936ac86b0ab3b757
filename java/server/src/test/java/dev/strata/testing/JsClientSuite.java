package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the official JS client suite (test-js/, chromadb@3.5.0) against a server URL and asserts it
 * passes. Skipped when node or test-js/node_modules is missing, unless -Dstrata.require.js=true
 * (scripts/test) makes that a failure.
 */
public final class JsClientSuite {

    private JsClientSuite() {}

    /** Skips the calling test when the suite cannot run here; fails it under strata.require.js. */
    public static void assumeRunnable() {
        boolean ready = Files.isDirectory(suiteDir().resolve("node_modules/chromadb")) && nodeAvailable();
        if (Boolean.getBoolean("strata.require.js")) {
            assertThat(ready).as("node and test-js/node_modules are required (run scripts/setup)").isTrue();
        }
        assumeTrue(ready, "node or test-js/node_modules missing: run npm ci in test-js/");
    }

    /** Runs the suite against the server at url (token: sent as X-Chroma-Token, or null). */
    public static void passesAgainst(String url, String token) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "test/")
                .directory(suiteDir().toFile())
                .redirectErrorStream(true);
        pb.environment().put("STRATA_URL", url);
        if (token != null) {
            pb.environment().put("STRATA_TOKEN", token);
        }
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("# fail 0").doesNotContain("# pass 0");
    }

    private static Path suiteDir() {
        // The tests run in the module folder, java/server; test-js is at the repository root.
        return Path.of("../..", "test-js").toAbsolutePath().normalize();
    }

    /** Whether a node binary answers on this machine. */
    public static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
