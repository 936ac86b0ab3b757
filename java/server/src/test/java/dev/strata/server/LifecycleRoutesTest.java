package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reset's guards, and fork, fork count and indexing status in Chroma's shapes, over the HTTP layer and the real
 * engine (each server over an engine of its own in a temporary folder: reset wipes the engine).
 */
class LifecycleRoutesTest {

    @TempDir
    Path dir;

    @Test
    void resetIsRefusedUnlessAllowedAndOnlyForTokensBoundToNoTenant() {
        try (ServerFixture f = ServerFixture.overNewEngine(dir.resolve("refusing"))) {
            f.post(ServerFixture.DB + "/collections", Map.of("name", "kept"));
            ServerFixture.Reply refused = f.post("/api/v2/reset", null);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.message()).contains("--allow-reset");
            assertThat(f.get(ServerFixture.DB + "/collections_count").json().asInt()).isEqualTo(1);
        }
        Map<String, String> tokens = new HashMap<>();
        tokens.put("admin", null);
        tokens.put("acme-only", "acme");
        try (ServerFixture f = ServerFixture.overNewEngine(dir.resolve("allowing"),
                ServerOptions.defaults().withAllowReset(true).withAuthTokens(tokens))) {
            f.withHeaders(Map.of("X-Chroma-Token", "admin"));
            f.post("/api/v2/tenants", Map.of("name", "acme"));
            f.post(ServerFixture.DB + "/collections", Map.of("name", "doomed"));
            f.withHeaders(Map.of("X-Chroma-Token", "acme-only"));
            ServerFixture.Reply bound = f.post("/api/v2/reset", null);
            assertThat(bound.status()).isEqualTo(403);
            assertThat(bound.error()).isEqualTo("AuthorizationError");
            f.withHeaders(Map.of());
            assertThat(f.post("/api/v2/reset", null).status()).isEqualTo(401);

            f.withHeaders(Map.of("X-Chroma-Token", "admin"));
            assertThat(f.get(ServerFixture.DB + "/collections_count").json().asInt()).isEqualTo(1);
            ServerFixture.Reply done = f.post("/api/v2/reset", null);
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.json().asBoolean()).isTrue();
            assertThat(f.get(ServerFixture.DB + "/collections_count").json().asInt()).isZero();
            assertThat(f.get("/api/v2/tenants/acme").status()).isEqualTo(404);
            assertThat(f.get("/api/v2/tenants/default_tenant/databases/default_database").status()).isEqualTo(200);
        }
    }

    @Test
    void forkForkCountAndIndexingStatusInChromasShapes() {
        try (ServerFixture f = ServerFixture.overNewEngine(dir)) {
            String id = f.post(ServerFixture.DB + "/collections", Map.of("name", "source", "metadata", Map.of("k", "v")))
                    .json().get("id").asText();
            String coll = ServerFixture.DB + "/collections/" + id;
            assertThat(f.post(coll + "/add", Map.of("ids", List.of("a", "b"), "embeddings",
                    List.of(List.of(1, 2), List.of(3, 4)))).status()).isEqualTo(201);

            ServerFixture.Reply fork = f.post(coll + "/fork", Map.of("new_name", "copy"));
            assertThat(fork.status()).isEqualTo(200);
            assertThat(fork.json().get("name").asText()).isEqualTo("copy");
            assertThat(fork.json().get("id").asText()).isNotEqualTo(id);
            assertThat(fork.json().get("metadata").get("k").asText()).isEqualTo("v");
            assertThat(fork.json().has("configuration_json")).isTrue();
            String forkId = fork.json().get("id").asText();
            assertThat(f.get(ServerFixture.DB + "/collections/" + forkId + "/count").json().asInt()).isEqualTo(2);
            assertThat(f.get(coll + "/fork_count").json().get("count").asInt()).isEqualTo(1);
            assertThat(f.post(coll + "/fork", Map.of("new_name", "copy")).status()).isEqualTo(409);

            ServerFixture.Reply status = f.get(coll + "/indexing_status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("num_indexed_ops").asLong() + status.json().get("num_unindexed_ops").asLong())
                    .isEqualTo(status.json().get("total_ops").asLong());
            assertThat(status.json().get("op_indexing_progress").asDouble()).isBetween(0.0, 1.0);
        }
    }
}
