package dev.strata.server;

import static dev.strata.server.ServerFixture.DB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.NotFoundException;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.server.ServerFixture.Reply;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token auth (open routes, both headers, tenant binding), the Prometheus endpoint and the health probes: a server
 * per test over one real engine for the class (EmbeddedStrata over a temporary folder; the tests use names of their
 * own).
 */
class AuthAndMetricsTest {

    @TempDir
    static Path dir;

    private static EmbeddedStrata engine;

    @BeforeAll
    static void openEngine() {
        engine = ServerFixture.openEngine(dir.resolve("node"));
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    private static ServerFixture server(ServerOptions options) {
        return ServerFixture.over(engine, options);
    }

    private static ServerOptions withTokens() {
        Map<String, String> tokens = new HashMap<>();
        tokens.put("admin-token", null);
        tokens.put("acme-token", "acme");
        return ServerOptions.defaults().withAuthTokens(tokens);
    }

    @Test
    void withoutAValidTokenProtectedRoutesAre401AndOpenRoutesAnswer() {
        try (ServerFixture f = server(withTokens())) {
            for (String path : List.of(DB + "/collections", "/api/v2/auth/identity", "/api/v2/tenants/default_tenant", "/metrics")) {
                Reply r = f.get(path);
                assertThat(r.status()).as(path).isEqualTo(401);
                assertThat(r.error()).isEqualTo("AuthError");
            }
            assertThat(f.post(DB + "/collections", Map.of("name", "nope")).status()).isEqualTo(401);
            for (String path : List.of("/api/v2/heartbeat", "/api/v2/version", "/api/v2/healthcheck", "/api/v2/pre-flight-checks",
                    "/healthz/live", "/healthz/ready")) {
                assertThat(f.get(path).status()).as(path).isEqualTo(200);
            }
            f.withHeaders(Map.of("Authorization", "Bearer wrong"));
            assertThat(f.get(DB + "/collections").status()).isEqualTo(401);
            f.withHeaders(Map.of("Authorization", "Basic YWRtaW4tdG9rZW4="));
            assertThat(f.get(DB + "/collections").status()).isEqualTo(401);
            // Nothing was created by the refused requests.
            assertThatThrownBy(() -> engine.database().getCollection("nope")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void bearerAndChromaTokenHeadersBothAuthenticate() {
        try (ServerFixture f = server(withTokens())) {
            f.withHeaders(Map.of("Authorization", "Bearer admin-token"));
            assertThat(f.post(DB + "/collections", Map.of("name", "one")).status()).isEqualTo(200);
            f.withHeaders(Map.of("X-Chroma-Token", "admin-token"));
            assertThat(f.get(DB + "/collections").json()).extracting(c -> c.get("name").asText()).contains("one");
            assertThat(f.get("/api/v2/auth/identity").json().get("tenant").asText()).isEqualTo("default_tenant");
            assertThat(f.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void aTokenBoundToATenantSeesOnlyThatTenant() {
        try (ServerFixture f = server(withTokens())) {
            f.withHeaders(Map.of("X-Chroma-Token", "admin-token"));
            assertThat(f.post("/api/v2/tenants", Map.of("name", "acme")).status()).isEqualTo(200);
            f.withHeaders(Map.of("X-Chroma-Token", "acme-token"));
            // A new tenant has no database: its bound token may create one.
            assertThat(f.post("/api/v2/tenants/acme/databases", Map.of("name", "default_database")).status()).isEqualTo(200);
            assertThat(f.get("/api/v2/auth/identity").json().get("tenant").asText()).isEqualTo("acme");
            assertThat(f.post("/api/v2/tenants/acme/databases/default_database/collections", Map.of("name", "mine")).status()).isEqualTo(200);
            assertThat(f.get("/api/v2/tenants/acme/databases/default_database/collections").json()).hasSize(1);
            Reply other = f.get(DB + "/collections");
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.error()).isEqualTo("AuthorizationError");
            assertThat(f.post("/api/v2/tenants", Map.of("name", "other")).status()).isEqualTo(403);
            assertThat(f.get("/api/v2/collections/default_tenant:default_database:x").status()).isEqualTo(403);
            assertThat(f.get("/api/v2/tenants/default_tenant").status()).isEqualTo(403);
        }
    }

    @Test
    void metricsCountRequestsPerRouteAndStatusAndShowEngineMeters() {
        try (ServerFixture f = server(ServerOptions.defaults())) {
            Counter storeGets = Counter.builder("strata.object.store.requests").tag("op", "get").register(f.server.meterRegistry());
            storeGets.increment(3);
            f.get("/api/v2/heartbeat");
            f.get("/api/v2/heartbeat");
            f.get(DB + "/collections/missing");
            Reply m = f.get("/metrics");
            assertThat(m.status()).isEqualTo(200);
            assertThat(m.contentType()).startsWith("text/plain");
            assertThat(m.text())
                    .contains("strata_http_requests_seconds_count{method=\"GET\",route=\"/api/v2/heartbeat\",status=\"200\"} 2")
                    .contains("route=\"/api/v2/tenants/{tenant}/databases/{database}/collections/{collection}\",status=\"404\"} 1")
                    .contains("strata_object_store_requests_total{op=\"get\"} 3.0");
        }
    }

    @Test
    void aQueryRecordsTheServersStagesBesideTheEngines() {
        try (ServerFixture f = server(ServerOptions.defaults())) {
            String id = f.post(DB + "/collections", Map.of("name", "staged")).json().get("id").asText();
            String coll = DB + "/collections/" + id;
            assertThat(f.post(coll + "/add", Map.of("ids", List.of("a", "b"), "embeddings", List.of(List.of(1, 0), List.of(0, 1))))
                    .status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                assertThat(f.post(coll + "/query", Map.of("query_embeddings", List.of(List.of(1, 0)), "n_results", 1)).status())
                        .isEqualTo(200);
            }
            String metrics = f.get("/metrics").text();
            for (String stage : List.of("parse", "convert", "write")) {
                assertThat(metrics).contains("strata_query_stage_seconds_count{stage=\"" + stage + "\"} 3");
            }
            assertThat(metrics).contains("strata_query_stage_seconds{stage=\"parse\",quantile=\"0.5\"}");
        }
    }

    @Test
    void readinessFollowsTheServerLifecycle() {
        ServerFixture f = server(ServerOptions.defaults());
        assertThat(f.get("/healthz/ready").json().get("status").asText()).isEqualTo("ready");
        assertThat(f.get("/healthz/live").json().get("status").asText()).isEqualTo("live");
        f.close();
        assertThat(engine.database().getOrCreateCollection("after-the-server", null, null).count())
                .as("the server does not own the engine: it still answers").isZero();
    }
}
