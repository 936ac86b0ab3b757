package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Collection;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chroma's spann configuration over HTTP against the real engine (EmbeddedStrata over a temporary folder): accepted
 * and echoed, out-of-range values refused naming the field with nothing created, modify of search_nprobe echoed,
 * and every parameter read back from the catalog.
 */
class SpannConfigurationRoutesTest {

    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static EmbeddedStrata strata;
    private static StrataServer server;
    private static HttpClient http;

    record Reply(int status, JsonNode json) {}

    @BeforeAll
    static void start() {
        strata = EmbeddedStrata.open(Settings.defaults(dir.resolve("node")));
        server = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)).start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        strata.close();
        http.close();
    }

    private static Reply send(String method, String path, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertInvalid(Reply r, String field) {
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("InvalidArgumentError");
        assertThat(r.json().get("message").asText()).contains(field);
    }

    private static boolean exists(String name) {
        return send("GET", DB + "/collections/" + name, null).status() == 200;
    }

    @Test
    void createWithSpannEchoesItAndModifyChangesSearchNprobe() {
        Reply created = send("POST", DB + "/collections", "{\"name\":\"spann-echo\",\"configuration\":{\"spann\":{"
                + "\"space\":\"cosine\",\"search_nprobe\":100,\"write_nprobe\":16,\"ef_search\":150,\"max_neighbors\":32,"
                + "\"split_threshold\":120,\"merge_threshold\":40,\"num_samples_kmeans\":300}}}");
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(200);
        JsonNode config = created.json().get("configuration_json");
        assertThat(config.get("hnsw").isNull()).isTrue();
        JsonNode spann = config.get("spann");
        assertThat(spann.get("space").asText()).isEqualTo("cosine");
        assertThat(spann.get("search_nprobe").asInt()).isEqualTo(100);
        assertThat(spann.get("write_nprobe").asInt()).isEqualTo(16);
        assertThat(spann.get("ef_search").asInt()).isEqualTo(150);
        assertThat(spann.get("ef_construction").asInt()).isEqualTo(200);
        assertThat(spann.get("split_threshold").asInt()).isEqualTo(120);
        JsonNode schemaSpann = created.json().at("/schema/keys/#embedding/float_list/vector_index/config");
        assertThat(schemaSpann.get("space").asText()).isEqualTo("cosine");
        assertThat(schemaSpann.get("spann").get("num_samples_kmeans").asInt()).isEqualTo(300);
        assertThat(schemaSpann.has("hnsw")).isFalse();

        String id = created.json().get("id").asText();
        // The HNSW index under it still works: add and query.
        assertThat(send("POST", DB + "/collections/" + id + "/add",
                "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,0,0],[0,1,0]]}").status()).isEqualTo(201);
        Reply query = send("POST", DB + "/collections/" + id + "/query", "{\"query_embeddings\":[[1,0.1,0]],\"n_results\":1}");
        assertThat(query.json().at("/ids/0/0").asText()).isEqualTo("a");

        Reply modified = send("PUT", DB + "/collections/" + id, "{\"new_configuration\":{\"spann\":{\"search_nprobe\":20}}}");
        assertThat(modified.status()).as(String.valueOf(modified.json())).isEqualTo(200);
        JsonNode after = send("GET", DB + "/collections/spann-echo", null).json().get("configuration_json").get("spann");
        assertThat(after.get("search_nprobe").asInt()).isEqualTo(20);
        assertThat(after.get("write_nprobe").asInt()).isEqualTo(16);

        assertInvalid(send("PUT", DB + "/collections/" + id, "{\"new_configuration\":{\"spann\":{\"search_nprobe\":129}}}"),
                "spann.search_nprobe");
        assertInvalid(send("PUT", DB + "/collections/" + id, "{\"new_configuration\":{\"spann\":{\"write_nprobe\":8}}}"),
                "write_nprobe");
        Collection c = strata.database().getCollection("spann-echo");
        assertThat(c.configuration().spann().searchNprobe()).isEqualTo(20);
        assertThat(c.configuration().spann().numSamplesKmeans()).isEqualTo(300);
    }

    @Test
    void outOfRangeSpannOrHnswValuesAre400NamingTheFieldAndCreateNothing() {
        String[][] cases = {
                {"spann", "search_nprobe", "129"},
                {"spann", "write_nprobe", "65"},
                {"spann", "split_threshold", "49"},
                {"spann", "merge_threshold", "101"},
                {"spann", "reassign_neighbor_count", "65"},
                {"spann", "num_samples_kmeans", "1001"},
                {"spann", "initial_lambda", "50"},
                {"spann", "ef_search", "201"},
                {"spann", "max_neighbors", "65"},
                {"hnsw", "max_neighbors", "513"},
                {"hnsw", "ef_search", "0"},
        };
        int i = 0;
        for (String[] c : cases) {
            String name = "bad-" + i++;
            Reply r = send("POST", DB + "/collections", "{\"name\":\"" + name + "\",\"configuration\":{\"" + c[0] + "\":{\""
                    + c[1] + "\":" + c[2] + "}}}");
            assertInvalid(r, c[0] + "." + c[1]);
            assertThat(exists(name)).as(name).isFalse();
        }
        Reply both = send("POST", DB + "/collections", "{\"name\":\"bad-both\",\"configuration\":{\"hnsw\":{},\"spann\":{}}}");
        assertInvalid(both, "Multiple vector index configurations");
        assertThat(exists("bad-both")).isFalse();
        Reply schema = send("POST", DB + "/collections", "{\"name\":\"bad-schema\",\"schema\":{\"keys\":{\"#embedding\":"
                + "{\"float_list\":{\"vector_index\":{\"enabled\":true,\"config\":{\"spann\":{\"split_threshold\":250}}}}}}}}");
        assertInvalid(schema, "spann.split_threshold");
        assertThat(exists("bad-schema")).isFalse();
    }

    @Test
    void aCollectionWithoutEitherSectionStillEchoesHnsw() {
        Reply plain = send("POST", DB + "/collections", "{\"name\":\"plain\"}");
        assertThat(plain.json().get("configuration_json").get("hnsw").get("space").asText()).isEqualTo("l2");
        assertThat(plain.json().get("configuration_json").get("spann").isNull()).isTrue();
        assertInvalid(send("PUT", DB + "/collections/" + plain.json().get("id").asText(),
                "{\"new_configuration\":{\"spann\":{\"search_nprobe\":20}}}"), "hnsw");
    }
}
