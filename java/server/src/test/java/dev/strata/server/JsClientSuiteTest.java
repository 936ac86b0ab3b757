package dev.strata.server;

import dev.strata.testing.JsClientSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official JS client suite (test-js/, chromadb@3.5.0) with every request carrying X-Chroma-Token, as the client
 * sends it from its headers, against the server over the real engine in a temporary folder (the suite without a
 * token is EngineJsClientSuiteTest). Skipped when node or test-js/node_modules is missing (run `npm ci` in test-js/
 * first).
 */
class JsClientSuiteTest {

    @TempDir
    Path dir;

    @Test
    void officialJsClientSuitePassesWithTokenAuth() throws IOException, InterruptedException {
        JsClientSuite.assumeRunnable();
        Map<String, String> tokens = new HashMap<>();
        tokens.put("js-suite-token", null);
        try (ServerFixture f = ServerFixture.overNewEngine(dir,
                ServerOptions.defaults().withAllowReset(true).withAuthTokens(tokens))) {
            JsClientSuite.passesAgainst(f.url(), "js-suite-token");
        }
    }
}
