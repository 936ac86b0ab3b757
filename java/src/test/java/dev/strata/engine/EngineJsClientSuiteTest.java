package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.api.Settings;
import dev.strata.server.ServerOptions;
import dev.strata.server.StrataServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official JS client suite (test-js/, chromadb@3.5.0, the same expectations checked against
 * Chroma itself) through the HTTP server over the embedded engine. Skipped when node or
 * test-js/node_modules is missing.
 */
class EngineJsClientSuiteTest {

    @TempDir
    Path dir;

    @Test
    void officialJsClientSuitePassesOverTheEngine() throws IOException, InterruptedException {
        Path suite = Path.of("..", "test-js").toAbsolutePath().normalize();
        boolean ready = Files.isDirectory(suite.resolve("node_modules/chromadb"));
        if (Boolean.getBoolean("strata.require.js")) {
            assertThat(ready).as("test-js/node_modules is required (run scripts/setup)").isTrue();
        }
        assumeTrue(ready, "test-js/node_modules missing: run npm ci in test-js/");
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir));
                StrataServer server = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                        .withAllowReset(true)).start()) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "test/")
                    .directory(suite.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("STRATA_URL", "http://127.0.0.1:" + server.port());
            Process p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String text = new String(output, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(text).isZero();
            assertThat(text).contains("# fail 0").doesNotContain("# pass 0");
        }
    }
}
