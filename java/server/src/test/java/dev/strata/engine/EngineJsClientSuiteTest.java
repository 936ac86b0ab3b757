package dev.strata.engine;

import dev.strata.api.Settings;
import dev.strata.server.ServerOptions;
import dev.strata.server.StrataServer;
import dev.strata.testing.JsClientSuite;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official JS client suite (test-js/, chromadb@3.5.0, the same expectations checked against
 * Chroma itself) through the HTTP server over the embedded engine.
 */
class EngineJsClientSuiteTest {

    @TempDir
    Path dir;

    @Test
    void officialJsClientSuitePassesOverTheEngine() throws IOException, InterruptedException {
        JsClientSuite.assumeRunnable();
        try (EmbeddedStrata strata = EmbeddedStrata.open(Settings.defaults(dir));
                StrataServer server = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                        .withAllowReset(true)).start()) {
            JsClientSuite.passesAgainst("http://127.0.0.1:" + server.port(), null);
        }
    }
}
