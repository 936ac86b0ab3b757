package dev.strata.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.engine.EmbeddedStrata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * A started server on a free port over the real engine, and a small JSON HTTP client for it. The engine is either
 * the fixture's own (EmbeddedStrata over a folder the test gives, normally under a JUnit temporary folder; closed
 * with the fixture) or one the test shares between fixtures (left open: a test class opens one engine for all its
 * servers where its tests can share the data).
 */
final class ServerFixture implements AutoCloseable {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Strata strata;
    final StrataServer server;
    private final boolean ownsEngine;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private Map<String, String> headers = Map.of();

    private ServerFixture(Strata strata, boolean ownsEngine, ServerOptions options) {
        this.strata = strata;
        this.ownsEngine = ownsEngine;
        server = new StrataServer(strata, options.withHost("127.0.0.1").withPort(0)).start();
        base = "http://127.0.0.1:" + server.port();
    }

    /** A server over an engine of its own in {@code folder} (created when missing), closed with the fixture. */
    static ServerFixture overNewEngine(Path folder, ServerOptions options) {
        EmbeddedStrata engine = openEngine(folder);
        try {
            return new ServerFixture(engine, true, options);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    static ServerFixture overNewEngine(Path folder) {
        return overNewEngine(folder, ServerOptions.defaults());
    }

    /** A server over an engine the caller owns (it stays open when the fixture closes). */
    static ServerFixture over(Strata shared, ServerOptions options) {
        return new ServerFixture(shared, false, options);
    }

    /** The real engine over a local folder, with the default settings a server runs with. */
    static EmbeddedStrata openEngine(Path folder) {
        return EmbeddedStrata.open(Settings.defaults(folder));
    }

    /** Headers sent with every later request (auth tokens). */
    ServerFixture withHeaders(Map<String, String> headers) {
        this.headers = headers;
        return this;
    }

    record Reply(int status, String text, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text, e);
            }
        }

        String error() {
            return json().path("error").asText(null);
        }

        String message() {
            return json().path("message").asText(null);
        }
    }

    Reply get(String path) {
        return send("GET", path, null, "application/json");
    }

    Reply delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    Reply post(String path, Object body) {
        return send("POST", path, body, "application/json");
    }

    Reply put(String path, Object body) {
        return send("PUT", path, body, "application/json");
    }

    /** body: a String is sent as is, anything else as its JSON; null sends no body. */
    Reply send(String method, String path, Object body, String contentType) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            return text == null ? sendBytes(method, path, null, null)
                    : sendBytes(method, path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply sendBytes(String method, String path, byte[] body, String contentType) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a collection and returns its UUID. */
    String createCollection(String name) {
        Reply r = post(DB + "/collections", Map.of("name", name));
        if (r.status() != 200) {
            throw new AssertionError("create collection failed: " + r.text());
        }
        return r.json().get("id").asText();
    }

    String url() {
        return base;
    }

    @Override
    public void close() {
        server.close();
        http.close();
        if (ownsEngine) {
            strata.close();
        }
    }
}
