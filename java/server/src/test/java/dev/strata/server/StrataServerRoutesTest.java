package dev.strata.server;

import static dev.strata.server.ServerFixture.DB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.server.ServerFixture.Reply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the v2 API over HTTP against the real engine (EmbeddedStrata over a temporary folder, one for the
 * class: the tests use names of their own): happy path, then its errors with Chroma's statuses and error body.
 */
class StrataServerRoutesTest {

    @TempDir
    static Path dir;

    private static LookupThreadRecorder engine;
    private static ServerFixture f;

    @BeforeAll
    static void start() {
        engine = new LookupThreadRecorder(ServerFixture.openEngine(dir.resolve("node")));
        f = ServerFixture.over(engine, ServerOptions.defaults().withAllowReset(false));
    }

    @AfterAll
    static void stop() {
        f.close();
        engine.close();
    }

    private static void assertError(Reply r, int status, String error) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.error()).isEqualTo(error);
        assertThat(r.message()).isNotBlank();
    }

    private static String coll(String path) {
        return DB + "/collections/" + path;
    }

    @Test
    void systemRoutes() {
        Reply beat = f.get("/api/v2/heartbeat");
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().get("nanosecond heartbeat").asLong()).isGreaterThan(1_600_000_000_000_000_000L);
        assertThat(f.get("/api/v2").json().has("nanosecond heartbeat")).isTrue();
        assertThat(f.get("/api/v2/version").json().asText()).isEqualTo("1.0.0");
        assertThat(f.get("/api/v2/healthcheck").json().get("is_executor_ready").asBoolean()).isTrue();
        JsonNode pre = f.get("/api/v2/pre-flight-checks").json();
        assertThat(pre.get("max_batch_size").asInt()).isEqualTo(5461);
        assertThat(pre.get("supports_base64_encoding").asBoolean()).isTrue();
        JsonNode id = f.get("/api/v2/auth/identity").json();
        assertThat(id.get("tenant").asText()).isEqualTo("default_tenant");
        assertThat(id.get("databases").get(0).asText()).isEqualTo("default_database");
        assertThat(f.get("/healthz/live").status()).isEqualTo(200);
        assertThat(f.get("/healthz/ready").status()).isEqualTo(200);
    }

    @Test
    void v1IsGoneAndUnknownRoutesAre404And405() {
        assertError(f.get("/api/v1/heartbeat"), 410, "GoneError");
        assertError(f.post("/api/v1/collections", Map.of()), 410, "GoneError");
        assertError(f.get("/api/v2/nothing"), 404, "NotFoundError");
        assertError(f.post("/api/v2/heartbeat", Map.of()), 405, "MethodNotAllowedError");
        Reply head = f.send("HEAD", "/api/v2/heartbeat", null, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.text()).isEmpty();
    }

    @Test
    void resetIsRefusedUnlessAllowed() {
        assertError(f.post("/api/v2/reset", null), 403, "AuthorizationError");
        try (ServerFixture open = ServerFixture.overNewEngine(dir.resolve("reset"), ServerOptions.defaults().withAllowReset(true))) {
            open.createCollection("doomed");
            Reply r = open.post("/api/v2/reset", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().asBoolean()).isTrue();
            assertThat(open.get(DB + "/collections").json()).isEmpty();
            assertThat(open.get(DB).status()).isEqualTo(200);
        }
    }

    @Test
    void tenantsAndDatabases() {
        assertThat(f.post("/api/v2/tenants", Map.of("name", "acme")).status()).isEqualTo(200);
        assertError(f.post("/api/v2/tenants", Map.of("name", "acme")), 409, "UniqueConstraintError");
        assertError(f.post("/api/v2/tenants", Map.of("name", "x")), 400, "InvalidArgumentError");
        assertError(f.post("/api/v2/tenants", Map.of()), 422, "UnprocessableEntityError");
        Reply t = f.get("/api/v2/tenants/acme");
        assertThat(t.json().get("name").asText()).isEqualTo("acme");
        assertError(f.get("/api/v2/tenants/nobody"), 404, "NotFoundError");
        assertError(f.send("PATCH", "/api/v2/tenants/acme", Map.of("resource_name", "r"), "application/json"), 501, "UnimplementedError");

        assertThat(f.post("/api/v2/tenants/acme/databases", Map.of("name", "sales")).status()).isEqualTo(200);
        assertThat(f.post("/api/v2/tenants/acme/databases", Map.of("name", "ops")).status()).isEqualTo(200);
        assertError(f.post("/api/v2/tenants/acme/databases", Map.of("name", "sales")), 409, "UniqueConstraintError");
        // As Chroma: a database may be created in a tenant nobody created (Strata creates the tenant with it).
        assertThat(f.post("/api/v2/tenants/nobody/databases", Map.of("name", "sales")).status()).isEqualTo(200);
        assertError(f.post("/api/v2/tenants/nobody/databases", Map.of("name", "sales")), 409, "UniqueConstraintError");
        JsonNode db = f.get("/api/v2/tenants/acme/databases/sales").json();
        assertThat(db.get("name").asText()).isEqualTo("sales");
        assertThat(db.get("tenant").asText()).isEqualTo("acme");
        assertThat(db.get("id").asText()).hasSize(36);
        JsonNode list = f.get("/api/v2/tenants/acme/databases").json();
        assertThat(list).extracting(n -> n.get("name").asText()).containsExactly("sales", "ops"); // a new tenant has no database of its own
        assertThat(f.get("/api/v2/tenants/acme/databases?limit=1&offset=1").json())
                .extracting(n -> n.get("name").asText()).containsExactly("ops");
        assertError(f.get("/api/v2/tenants/acme/databases?limit=-1"), 400, "InvalidArgumentError");
        assertError(f.get("/api/v2/tenants/acme/databases?offset=x"), 400, "InvalidArgumentError");
        assertThat(f.delete("/api/v2/tenants/acme/databases/ops").status()).isEqualTo(200);
        assertError(f.get("/api/v2/tenants/acme/databases/ops"), 404, "NotFoundError");
        assertError(f.delete("/api/v2/tenants/acme/databases/ops"), 404, "NotFoundError");
    }

    @Test
    void collectionsLifecycle() {
        String base = "/api/v2/tenants/default_tenant/databases/default_database";
        Reply created = f.post(base + "/collections", Map.of("name", "books", "metadata", Map.of("topic", "fiction", "hnsw:space", "cosine")));
        assertThat(created.status()).isEqualTo(200);
        JsonNode c = created.json();
        String id = c.get("id").asText();
        assertThat(c.get("name").asText()).isEqualTo("books");
        assertThat(c.get("metadata").get("topic").asText()).isEqualTo("fiction");
        assertThat(c.get("configuration_json").get("hnsw").get("space").asText()).isEqualTo("cosine");
        assertThat(c.get("dimension").isNull()).isTrue();
        assertThat(c.get("tenant").asText()).isEqualTo("default_tenant");
        assertThat(c.get("database").asText()).isEqualTo("default_database");

        assertError(f.post(base + "/collections", Map.of("name", "books")), 409, "UniqueConstraintError");
        Reply again = f.post(base + "/collections", Map.of("name", "books", "get_or_create", true, "metadata", Map.of("x", 1)));
        assertThat(again.json().get("id").asText()).isEqualTo(id);
        assertThat(again.json().get("metadata").has("x")).isFalse();
        assertError(f.post(base + "/collections", Map.of("name", "a")), 400, "InvalidArgumentError");
        assertError(f.post(base + "/collections", Map.of("name", "cfg", "configuration", Map.of("hnsw", Map.of("space", "hamming")))),
                400, "InvalidArgumentError");
        assertThat(f.post(base + "/collections", Map.of("name", "sch", "schema", Map.of("keys", Map.of()))).json()
                .get("schema").get("keys").get("#document").get("string").get("fts_index").get("enabled").asBoolean()).isTrue();
        assertError(f.post(base + "/collections", Map.of("name", "sparse", "schema", Map.of("keys", Map.of("s", Map.of(
                "sparse_vector", Map.of("sparse_vector_index", Map.of("enabled", true, "config", Map.of()))))))),
                400, "InvalidArgumentError");
        Reply configured = f.post(base + "/collections", Map.of("name", "tuned",
                "configuration", Map.of("hnsw", Map.of("space", "ip", "ef_search", 42), "embedding_function", Map.of("type", "legacy"))));
        assertThat(configured.json().get("configuration_json").get("hnsw").get("ef_search").asInt()).isEqualTo(42);
        assertThat(configured.json().get("configuration_json").get("hnsw").get("space").asText()).isEqualTo("ip");

        assertThat(f.get(base + "/collections/books").json().get("id").asText()).isEqualTo(id);
        assertThat(f.get(base + "/collections/by-id/" + id).json().get("name").asText()).isEqualTo("books");
        assertThat(f.get("/api/v2/collections/default_tenant:default_database:books").json().get("id").asText()).isEqualTo(id);
        assertError(f.get("/api/v2/collections/not-a-crn"), 400, "InvalidArgumentError");
        assertError(f.get(base + "/collections/missing"), 404, "NotFoundError");
        assertError(f.get(base + "/collections/by-id/" + java.util.UUID.randomUUID()), 404, "NotFoundError");

        assertThat(f.get(base + "/collections").json()).extracting(n -> n.get("name").asText()).contains("books", "tuned");
        int count = f.get(base + "/collections_count").json().asInt();
        assertThat(count).isEqualTo(f.get(base + "/collections").json().size());
        assertThat(f.get(base + "/collections?limit=1").json()).hasSize(1);

        assertThat(f.put(base + "/collections/" + id, Map.of("new_name", "novels", "new_metadata", Map.of("topic", "all"),
                "new_configuration", Map.of("hnsw", Map.of("ef_search", 77)))).status()).isEqualTo(200);
        JsonNode renamed = f.get(base + "/collections/novels").json();
        assertThat(renamed.get("id").asText()).isEqualTo(id);
        assertThat(renamed.get("metadata").get("topic").asText()).isEqualTo("all");
        assertThat(renamed.get("configuration_json").get("hnsw").get("ef_search").asInt()).isEqualTo(77);
        assertError(f.get(base + "/collections/books"), 404, "NotFoundError");
        assertError(f.put(base + "/collections/" + id, Map.of("new_configuration", Map.of("hnsw", Map.of("space", "l2")))),
                400, "InvalidArgumentError");
        assertError(f.put(base + "/collections/" + id, Map.of("new_name", "tuned")), 409, "UniqueConstraintError");
        assertError(f.put(base + "/collections/novels", Map.of("new_name", "x")), 400, "InvalidArgumentError");

        assertThat(f.delete(base + "/collections/novels").status()).isEqualTo(200);
        assertError(f.delete(base + "/collections/novels"), 404, "NotFoundError");
        assertError(f.get(base + "/collections/" + id + "/count"), 404, "NotFoundError");
        assertError(f.get("/api/v2/tenants/default_tenant/databases/nodb/collections"), 404, "NotFoundError");
    }

    @Test
    void recordsAddGetQueryUpdateUpsertDelete() {
        String id = f.createCollection("records");
        Reply add = f.post(coll(id + "/add"), Map.of(
                "ids", List.of("a", "b", "c"),
                "embeddings", List.of(List.of(1, 0), List.of(0, 1), base64(1, 1)),
                "documents", List.of("alpha doc", "beta doc", "gamma"),
                "metadatas", List.of(Map.of("n", 1, "tag", "x"), Map.of("n", 2, "tag", "y"), Map.of("n", 3, "tag", "x"))));
        assertThat(add.status()).as(add.text()).isEqualTo(201);
        assertThat(add.json().isEmpty()).isTrue();
        assertThat(f.get(coll(id + "/count")).text()).isEqualTo("3");
        assertThat(f.get(DB + "/collections/records").json().get("dimension").asInt()).isEqualTo(2);

        JsonNode all = f.post(coll(id + "/get"), Map.of("include", List.of("embeddings", "documents", "metadatas", "uris"))).json();
        assertThat(all.get("ids")).extracting(JsonNode::asText).containsExactly("a", "b", "c");
        assertThat(all.get("embeddings").get(2).get(0).floatValue()).isEqualTo(1f);
        assertThat(all.get("documents").get(0).asText()).isEqualTo("alpha doc");
        assertThat(all.get("uris").get(0).isNull()).isTrue();
        assertThat(all.get("include")).extracting(JsonNode::asText).containsExactly("embeddings", "documents", "metadatas", "uris");

        JsonNode def = f.post(coll(id + "/get"), Map.of("where", Map.of("tag", "x"), "limit", 1, "offset", 1)).json();
        assertThat(def.get("ids")).extracting(JsonNode::asText).containsExactly("c");
        assertThat(def.get("embeddings").isNull()).isTrue();
        assertThat(def.get("include")).extracting(JsonNode::asText).containsExactly("documents", "metadatas");
        JsonNode byDoc = f.post(coll(id + "/get"), Map.of("where_document", Map.of("$contains", "doc"), "ids", List.of("b", "c"))).json();
        assertThat(byDoc.get("ids")).extracting(JsonNode::asText).containsExactly("b");

        JsonNode q = f.post(coll(id + "/query"), Map.of("query_embeddings", List.of(List.of(1, 0.1), base64(0, 1)), "n_results", 2,
                "include", List.of("distances", "documents"))).json();
        assertThat(q.get("ids").get(0)).extracting(JsonNode::asText).containsExactly("a", "c");
        assertThat(q.get("ids").get(1)).extracting(JsonNode::asText).containsExactly("b", "c");
        assertThat(q.get("distances").get(0).get(0).floatValue()).isCloseTo(0.01f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(q.get("metadatas").isNull()).isTrue();
        JsonNode qDefault = f.post(coll(id + "/query"), Map.of("query_embeddings", List.of(List.of(0, 0)), "where", Map.of("n", Map.of("$gte", 2)))).json();
        assertThat(qDefault.get("ids").get(0)).extracting(JsonNode::asText).containsExactlyInAnyOrder("b", "c");
        assertThat(qDefault.get("include")).extracting(JsonNode::asText).containsExactly("documents", "metadatas", "distances");

        assertThat(f.post(coll(id + "/update"), Map.of("ids", List.of("a"), "metadatas", List.of(Map.of("tag", "z")))).status()).isEqualTo(200);
        assertThat(f.post(coll(id + "/upsert"), Map.of("ids", List.of("c", "d"), "embeddings", List.of(List.of(2, 2), List.of(3, 3)),
                "documents", List.of("gamma2", "delta"))).status()).isEqualTo(200);
        JsonNode after = f.post(coll(id + "/get"), Map.of("ids", List.of("a", "c", "d"))).json();
        assertThat(after.get("metadatas").get(0).get("tag").asText()).isEqualTo("z");
        assertThat(after.get("metadatas").get(0).get("n").asInt()).isEqualTo(1);
        assertThat(after.get("documents")).extracting(JsonNode::asText).containsExactly("alpha doc", "gamma2", "delta");

        assertThat(f.post(coll(id + "/delete"), Map.of("ids", List.of("a", "zz"))).json().get("deleted").asInt()).isEqualTo(1);
        assertThat(f.post(coll(id + "/delete"), Map.of("where", Map.of("tag", "y"))).json().get("deleted").asInt()).isEqualTo(1);
        assertThat(f.post(coll(id + "/delete"), Map.of("where_document", Map.of("$contains", "a"), "limit", 1)).json().get("deleted").asInt())
                .isEqualTo(1);
        assertThat(f.get(coll(id + "/count")).json().asInt()).isEqualTo(1);

        JsonNode status = f.get(coll(id + "/indexing_status")).json();
        // The engine counts the log's operations (every write above), not the records left.
        assertThat(status.get("total_ops").asLong()).isGreaterThanOrEqualTo(1)
                .isEqualTo(status.get("num_indexed_ops").asLong() + status.get("num_unindexed_ops").asLong());
        assertThat(status.get("op_indexing_progress").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void recordErrors() {
        String id = f.createCollection("errs");
        f.post(coll(id + "/add"), Map.of("ids", List.of("a"), "embeddings", List.of(List.of(1, 2, 3))));
        Reply dim = f.post(coll(id + "/add"), Map.of("ids", List.of("b"), "embeddings", List.of(List.of(1, 2))));
        assertError(dim, 400, "InvalidArgumentError");
        assertThat(dim.message()).contains("dimension of 3, got 2");
        assertError(f.post(coll(id + "/query"), Map.of("query_embeddings", List.of(List.of(1)))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), Map.of("where", Map.of("k", Map.of("$bad", 1)))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), Map.of("where", "k")), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), Map.of("include", List.of("distances"))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), Map.of("include", List.of("bogus"))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/add"), Map.of("ids", List.of("c"))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/add"), Map.of("ids", List.of("c", "c"), "embeddings", List.of(List.of(1, 2, 3), List.of(1, 2, 3)))),
                400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/add"), Map.of("ids", List.of("c"), "embeddings", List.of("not base64!"))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/add"), Map.of("ids", List.of("c"), "embeddings", List.of("AAAA AA"))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/add"), Map.of("ids", List.of("c"), "embeddings", List.of("AAA="))), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/delete"), Map.of()), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/delete"), Map.of("ids", List.of("a"), "limit", 1)), 400, "InvalidArgumentError");
        assertError(f.post(coll("not-a-uuid/get"), Map.of()), 400, "InvalidArgumentError");
        assertError(f.post(coll(java.util.UUID.randomUUID() + "/get"), Map.of()), 404, "NotFoundError");
        assertError(f.post(coll(id + "/fork"), Map.of("new_name", "x")), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/fork"), Map.of()), 422, "UnprocessableEntityError");
        assertError(f.post(coll(id + "/search"), Map.of("searches", List.of())), 501, "UnimplementedError");
        assertThat(f.get(coll(id + "/count")).json().asInt()).isEqualTo(1);
    }

    @Test
    void aCollectionIdIsFoundOnlyUnderItsOwnTenantAndDatabase() {
        assertThat(f.post("/api/v2/tenants/elsewhere/databases", Map.of("name", "far")).status()).isEqualTo(200);
        assertThat(f.post("/api/v2/tenants/default_tenant/databases", Map.of("name", "near")).status()).isEqualTo(200);
        String far = "/api/v2/tenants/elsewhere/databases/far";
        String near = "/api/v2/tenants/default_tenant/databases/near";
        String id = f.post(far + "/collections", Map.of("name", "remote")).json().get("id").asText();
        assertThat(f.post(far + "/collections/" + id + "/add", Map.of("ids", List.of("a"), "embeddings",
                List.of(List.of(1, 2)))).status()).isEqualTo(201);
        assertThat(f.get(far + "/collections/by-id/" + id).json().get("name").asText()).isEqualTo("remote");

        // The same id under another database of the same tenant, or under another tenant, is an unknown collection.
        for (String other : List.of(DB, near)) {
            for (Reply r : List.of(f.get(other + "/collections/by-id/" + id), f.get(other + "/collections/" + id + "/count"),
                    f.post(other + "/collections/" + id + "/get", Map.of()),
                    f.post(other + "/collections/" + id + "/add", Map.of("ids", List.of("b"), "embeddings", List.of(List.of(3, 4)))),
                    f.post(other + "/collections/" + id + "/fork", Map.of("new_name", "stolen")))) {
                assertError(r, 404, "NotFoundError");
                assertThat(r.message()).isEqualTo("Collection " + id + " does not exist");
            }
        }
        Reply noDatabase = f.post("/api/v2/tenants/elsewhere/databases/nowhere/collections/" + id + "/get", Map.of());
        assertError(noDatabase, 404, "NotFoundError");
        assertThat(noDatabase.message()).contains("nowhere");
        assertThat(f.get(far + "/collections/" + id + "/count").json().asInt()).as("nothing reached it").isEqualTo(1);
        for (String db : List.of(far, near, DB)) {
            assertError(f.get(db + "/collections/stolen"), 404, "NotFoundError");
        }
    }

    @Test
    void shapeErrorsAre422AndMalformedJson400() {
        String id = f.createCollection("shapes");
        assertError(f.post(coll(id + "/get"), "{\"limit\": 1"), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), ""), 400, "InvalidArgumentError");
        assertError(f.post(coll(id + "/get"), Map.of("limit", "ten")), 422, "UnprocessableEntityError");
        assertError(f.post(coll(id + "/get"), List.of()), 422, "UnprocessableEntityError");
        assertError(f.post(coll(id + "/get"), Map.of("surprise", 1)), 422, "UnprocessableEntityError");
        assertError(f.post(coll(id + "/add"), Map.of("embeddings", List.of(List.of(1)))), 422, "UnprocessableEntityError");
        assertError(f.post(coll(id + "/query"), Map.of("n_results", 1)), 422, "UnprocessableEntityError");
        assertError(f.send("POST", coll(id + "/get"), "{}", "text/plain"), 415, "UnsupportedMediaTypeError");
    }

    @Test
    void concurrentClientsAreServedOnVirtualThreads() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(f.createCollection("parallel-" + i));
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String target = ids.get(i % ids.size());
                int n = i;
                statuses.add(pool.submit(() -> f.post(coll(target + "/add"), Map.of("ids", List.of("r" + n),
                        "embeddings", List.of(List.of(n, 1)))).status()));
                statuses.add(pool.submit(() -> f.post(coll(target + "/query"), Map.of("query_embeddings", List.of(List.of(1, 1)),
                        "n_results", 3)).status()));
            }
            for (var s : statuses) {
                assertThat(s.get()).isIn(200, 201);
            }
        }
        for (String id : ids) {
            assertThat(f.get(coll(id + "/count")).json().asInt()).isEqualTo(50);
        }
        // Reads run on the read workers (platform threads); every other request on its own virtual thread.
        assertThat(engine.lastLookupOnVirtualThread()).isFalse();
        assertThat(f.get(DB + "/collections/parallel-0").status()).isEqualTo(200);
        assertThat(engine.lastLookupOnVirtualThread()).isTrue();
    }

    private static String base64(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
