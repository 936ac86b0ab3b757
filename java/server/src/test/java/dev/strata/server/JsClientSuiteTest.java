package dev.strata.server;

import dev.strata.testing.JsClientSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Runs the official JS client suite (test-js/, chromadb@3.5.0) against the server over the in-memory
 * double. Skipped when node or test-js/node_modules is missing (run `npm ci` in test-js/ first).
 */
class JsClientSuiteTest {

    @Test
    void officialJsClientSuitePasses() throws IOException, InterruptedException {
        runSuite(ServerOptions.defaults().withAllowReset(true), null);
    }

    /** The same suite with every request carrying X-Chroma-Token, as the client sends it from its headers. */
    @Test
    void officialJsClientSuitePassesWithTokenAuth() throws IOException, InterruptedException {
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        tokens.put("js-suite-token", null);
        runSuite(ServerOptions.defaults().withAllowReset(true).withAuthTokens(tokens), "js-suite-token");
    }

    private static void runSuite(ServerOptions options, String token) throws IOException, InterruptedException {
        JsClientSuite.assumeRunnable();
        try (ServerFixture f = new ServerFixture(options)) {
            JsClientSuite.passesAgainst(f.url(), token);
        }
    }
}
