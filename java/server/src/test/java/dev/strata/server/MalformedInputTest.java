package dev.strata.server;

import static dev.strata.server.ServerFixture.DB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.server.ServerFixture.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of broken requests (bad JSON, wrong types, NaN, huge numbers, bad base64, unknown fields,
 * deep nesting, wrong content types, oversized bodies, bad paths): every one gets a 4xx with the
 * {"error", "message"} body, none a 5xx, and the server answers normally afterwards. Against the real engine
 * (EmbeddedStrata over a temporary folder).
 */
class MalformedInputTest {

    private static final long SMALL_LIMIT = 64 * 1024;

    @TempDir
    static Path dir;

    private static ServerFixture f;
    private static String id;

    @BeforeAll
    static void start() {
        f = ServerFixture.overNewEngine(dir.resolve("node"), ServerOptions.defaults().withMaxBodyBytes(SMALL_LIMIT));
        id = f.createCollection("target");
        Reply seeded = f.post(DB + "/collections/" + id + "/add", Map.of("ids", List.of("a", "b"),
                "embeddings", List.of(List.of(1, 2, 3), List.of(4, 5, 6)), "metadatas", List.of(Map.of("k", 1), Map.of("k", 2))));
        assertThat(seeded.status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    record Broken(String label, String method, String path, byte[] body, String contentType) {
        static Broken json(String label, String method, String path, String body) {
            return new Broken(label, method, path, body.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    private static String c(String op) {
        return DB + "/collections/" + id + "/" + op;
    }

    /** The JSON-body routes, each with a valid body so that a single broken field is what gets tested. */
    private static Map<String, String> bodyRoutes() {
        return Map.ofEntries(
                Map.entry(c("add"), "{\"ids\":[\"x\"],\"embeddings\":[[1,2,3]]}"),
                Map.entry(c("upsert"), "{\"ids\":[\"x\"],\"embeddings\":[[1,2,3]]}"),
                Map.entry(c("update"), "{\"ids\":[\"a\"],\"documents\":[\"d\"]}"),
                Map.entry(c("delete"), "{\"ids\":[\"zz\"]}"),
                Map.entry(c("get"), "{\"ids\":[\"a\"]}"),
                Map.entry(c("query"), "{\"query_embeddings\":[[1,2,3]],\"n_results\":1}"),
                Map.entry(DB + "/collections", "{\"name\":\"fresh\",\"get_or_create\":true}"),
                Map.entry("/api/v2/tenants", "{\"name\":\"default_tenant\"}"),
                Map.entry("/api/v2/tenants/default_tenant/databases", "{\"name\":\"default_database\"}"));
    }

    private static List<Broken> brokenRequests() {
        List<Broken> out = new ArrayList<>();
        String[] badJson = {
            "", " ", "{", "}", "{\"ids\":", "{\"ids\":[\"a\"]", "{\"ids\":[\"a\",]}", "{'ids':['a']}", "{ids:[\"a\"]}",
            "{\"ids\":[\"a\"]} trailing", "{\"ids\":[\"a\"]}{}", "{\"n_results\":NaN}", "{\"n_results\":Infinity}",
            "{\"query_embeddings\":[[NaN,1,2]]}", "{\"query_embeddings\":[[-Infinity,1,2]]}", "{\"a\":1,\"a\":2}",
            "/* comment */ {}", "{\"ids\":[\"a\"] // c\n}", "nul", "tru", "{\"x\":\"\\q\"}", "{\"x\":\"unterminated}",
            "{\"x\":01}", "{\"x\":1.}", "{\"x\":.5}", "{\"x\":+1}", "{\"x\":0x10}", "{\"n_results\":" + "9".repeat(500) + "}",
            "\u0000", "{\"x\":\"\u0001\"}",
        };
        bodyRoutes().forEach((path, valid) -> {
            for (String b : badJson) {
                out.add(Broken.json("bad json " + b.length() + " chars", "POST", path, b));
            }
            out.add(new Broken("invalid utf-8", "POST", path, new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                    "application/json"));
            out.add(Broken.json("not an object: array", "POST", path, "[" + valid + "]"));
            out.add(Broken.json("not an object: string", "POST", path, "\"" + valid.replace("\"", "'") + "\""));
            out.add(Broken.json("not an object: number", "POST", path, "42"));
            out.add(Broken.json("not an object: null", "POST", path, "null"));
            out.add(Broken.json("unknown field", "POST", path, valid.replace("{", "{\"unexpected_field\":1,")));
            out.add(new Broken("text/plain", "POST", path, valid.getBytes(StandardCharsets.UTF_8), "text/plain"));
            out.add(new Broken("form content type", "POST", path, valid.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
            out.add(new Broken("xml content type", "POST", path, valid.getBytes(StandardCharsets.UTF_8), "application/xml"));
            out.add(new Broken("no content type", "POST", path, valid.getBytes(StandardCharsets.UTF_8), null));
            out.add(Broken.json("deep nesting", "POST", path, "{\"ids\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        });

        // Wrong JSON types, field by field.
        String[] notStringLists = {"\"a\"", "1", "{}", "[1]", "[[\"a\"]]", "[{}]", "true"};
        for (String op : List.of("add", "upsert", "update")) {
            for (String v : notStringLists) {
                out.add(Broken.json("ids " + v, "POST", c(op), "{\"ids\":" + v + ",\"embeddings\":[[1,2,3]]}"));
                out.add(Broken.json("documents " + v, "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"documents\":" + v + "}"));
            }
            for (String v : List.of("\"x\"", "1", "{}", "[1]", "[[\"x\"]]", "[[1,\"2\",3]]", "[[[1]]]", "[true]", "[[null]]", "[{}]")) {
                out.add(Broken.json("embeddings " + v, "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":" + v + "}"));
            }
            for (String v : List.of("\"!!!\"", "\"AAA\"", "\"AAAAA\"", "\"AAA=\"", "\"====\"", "\"\"", "\"AA AA\"", "\"AAAA\\nAAAA\"")) {
                out.add(Broken.json("base64 " + v, "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":[" + v + "]}"));
            }
            for (String v : List.of("\"m\"", "[1]", "[\"m\"]", "{}", "[[{}]]", "[{\"k\":{\"nested\":1}}]", "[{\"k\":[]}]",
                    "[{\"k\":[1,\"a\"]}]", "[{\"$k\":1}]", "[{\"\":1}]", "[{\"k\":[[1]]}]", "[{\"k\":" + "1".repeat(30) + "}]")) {
                out.add(Broken.json("metadatas " + v, "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"metadatas\":" + v + "}"));
            }
            out.add(Broken.json("float overflow", "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":[[1e39,2,3]]}"));
            out.add(Broken.json("empty ids", "POST", c(op), "{\"ids\":[],\"embeddings\":[]}"));
            out.add(Broken.json("empty id", "POST", c(op), "{\"ids\":[\"\"],\"embeddings\":[[1,2,3]]}"));
            out.add(Broken.json("null id", "POST", c(op), "{\"ids\":[null],\"embeddings\":[[1,2,3]]}"));
            out.add(Broken.json("length mismatch", "POST", c(op), "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,2,3]]}"));
            out.add(Broken.json("wrong dimension", "POST", c(op), "{\"ids\":[\"a\"],\"embeddings\":[[1,2]]}"));
            out.add(Broken.json("missing ids", "POST", c(op), "{\"embeddings\":[[1,2,3]]}"));
        }
        for (String v : List.of("-1", "1.5", "\"10\"", "true", "[]", "{}", "4294967296", "1e400", "99999999999999999999", "-2147483649")) {
            out.add(Broken.json("n_results " + v, "POST", c("query"), "{\"query_embeddings\":[[1,2,3]],\"n_results\":" + v + "}"));
            out.add(Broken.json("limit " + v, "POST", c("get"), "{\"limit\":" + v + "}"));
            out.add(Broken.json("offset " + v, "POST", c("get"), "{\"offset\":" + v + "}"));
        }
        out.add(Broken.json("n_results 0", "POST", c("query"), "{\"query_embeddings\":[[1,2,3]],\"n_results\":0}"));
        for (String v : List.of("[]", "[[]]", "[null]", "\"AAAA\"", "[[1,2]]", "[[1e39,1,1]]", "[\"!!\"]")) {
            out.add(Broken.json("query_embeddings " + v, "POST", c("query"), "{\"query_embeddings\":" + v + "}"));
        }
        for (String w : List.of("\"x\"", "1", "[]", "{\"k\":{\"$bad\":1}}", "{\"$and\":\"x\"}", "{\"$and\":[]}", "{\"$or\":[1]}",
                "{\"k\":{\"$in\":[]}}", "{\"k\":{\"$in\":1}}", "{\"k\":{\"$gt\":\"s\"}}", "{\"a\":1,\"b\":2}", "{\"k\":{\"$eq\":{}}}",
                "{\"k\":{\"$eq\":1,\"$ne\":2}}", "{\"k\":null}", "{\"$not\":{}}", "{\"k\":{\"$in\":[1,\"a\"]}}",
                "{\"$and\":[" + "{\"$and\":[".repeat(80) + "{\"k\":1}" + "]}".repeat(80) + "]}")) {
            out.add(Broken.json("where " + w, "POST", c("get"), "{\"where\":" + w + "}"));
            out.add(Broken.json("where in query " + w, "POST", c("query"), "{\"query_embeddings\":[[1,2,3]],\"where\":" + w + "}"));
            out.add(Broken.json("where in delete " + w, "POST", c("delete"), "{\"where\":" + w + "}"));
        }
        for (String w : List.of("\"x\"", "{\"$contains\":1}", "{\"$bad\":\"x\"}", "{\"$regex\":\"(\"}", "{\"$and\":[]}", "{\"k\":\"v\"}",
                "{\"$contains\":\"a\",\"$regex\":\"b\"}")) {
            out.add(Broken.json("where_document " + w, "POST", c("get"), "{\"where_document\":" + w + "}"));
            out.add(Broken.json("where_document in query " + w, "POST", c("query"), "{\"query_embeddings\":[[1,2,3]],\"where_document\":" + w + "}"));
        }
        for (String v : List.of("\"documents\"", "[\"bogus\"]", "[1]", "{}", "[\"distances\"]")) {
            out.add(Broken.json("include " + v, "POST", c("get"), "{\"include\":" + v + "}"));
        }
        out.add(Broken.json("include bogus in query", "POST", c("query"), "{\"query_embeddings\":[[1,2,3]],\"include\":[\"bogus\"]}"));

        for (String v : List.of("{\"name\":1}", "{\"name\":\"x\"}", "{\"name\":\"a..b\"}", "{\"name\":\"192.168.1.1\"}", "{}",
                "{\"name\":\"ok-name\",\"metadata\":{}}", "{\"name\":\"ok-name\",\"metadata\":\"m\"}",
                "{\"name\":\"ok-name\",\"metadata\":{\"k\":{\"n\":1}}}", "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"space\":\"x\"}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"ef_search\":-1}}}", "{\"name\":\"ok-name\",\"configuration\":{\"spann\":{\"search_nprobe\":129}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{},\"spann\":{}}}",
                "{\"name\":\"ok-name\",\"configuration\":[]}", "{\"name\":\"ok-name\",\"get_or_create\":\"yes\"}",
                "{\"name\":\"ok-name\",\"metadata\":{\"hnsw:space\":\"manhattan\"}}")) {
            out.add(Broken.json("create collection " + v, "POST", DB + "/collections", v));
        }
        for (String v : List.of("{\"new_name\":1}", "{\"new_name\":\"x\"}", "{\"new_metadata\":[]}", "{\"new_configuration\":{\"hnsw\":{\"space\":\"ip\"}}}",
                "{\"new_configuration\":{\"hnsw\":{\"bogus\":1}}}", "{\"new_configuration\":1}", "{\"new_metadata\":{}}")) {
            out.add(Broken.json("modify " + v, "PUT", DB + "/collections/" + id, v));
        }
        for (String v : List.of("{\"name\":\"x\"}", "{\"name\":[]}", "{}")) {
            out.add(Broken.json("tenant " + v, "POST", "/api/v2/tenants", v));
            out.add(Broken.json("database " + v, "POST", "/api/v2/tenants/default_tenant/databases", v));
        }

        // Paths and query strings.
        for (String p : List.of(DB + "/collections/not-a-uuid/get", DB + "/collections/" + id.toUpperCase().replace('-', 'x') + "/query",
                DB + "/collections/" + java.util.UUID.randomUUID() + "/add", "/api/v2/tenants/nobody/databases/x/collections/" + id + "/get",
                DB + "/collections/" + id + "/nothing", "/api/v2/tenants/%zz", "/api/v1/collections", "/api/v3/heartbeat",
                DB + "/collections/" + id + "/get/extra")) {
            out.add(Broken.json("path " + p, "POST", p, "{}"));
        }
        for (String q : List.of("?limit=x", "?limit=-1", "?offset=1.5", "?limit=99999999999", "?offset=%zz")) {
            out.add(new Broken("list query " + q, "GET", DB + "/collections" + q, null, null));
        }
        out.add(new Broken("long url", "GET", DB + "/collections/" + "x".repeat(20_000), null, null));
        out.add(new Broken("wrong method", "DELETE", c("add"), null, null));
        out.add(new Broken("unknown method", "BREW", c("get"), null, null));

        // Oversized: declared by Content-Length, and over the limit.
        String big = "{\"ids\":[\"a\"],\"documents\":[\"" + "x".repeat((int) SMALL_LIMIT) + "\"]}";
        out.add(Broken.json("oversized add", "POST", c("add"), big));
        out.add(Broken.json("oversized get", "POST", c("get"), big));
        return out;
    }

    @Test
    void everyBrokenRequestGetsA4xxWithTheErrorBodyAndTheServerKeepsAnswering() {
        List<Broken> broken = brokenRequests();
        assertThat(broken.size()).isGreaterThanOrEqualTo(200);
        SoftAssertions soft = new SoftAssertions();
        for (Broken b : broken) {
            byte[] body = b.body() == null ? new byte[0] : b.body();
            // java.net.http refuses malformed URIs, so those go over a plain socket.
            Reply r;
            try {
                r = b.path().contains("%") ? rawHttp(b.method(), b.path(), body, b.contentType())
                        : f.sendBytes(b.method(), b.path(), body, b.contentType());
            } catch (UncheckedIOException e) {
                throw new AssertionError("no answer to: " + b.label() + " " + b.method() + " " + abbreviate(b.path()), e);
            }
            checkError(soft, b.label() + " " + b.method() + " " + abbreviate(b.path()), r);
        }
        soft.assertAll();

        Reply beat = f.get("/api/v2/heartbeat");
        assertThat(beat.status()).isEqualTo(200);
        assertThat(f.get(DB + "/collections/" + id + "/count").json().asInt()).isEqualTo(2);
        Reply add = f.post(c("add"), Map.of("ids", List.of("c"), "embeddings", List.of(List.of(7, 8, 9))));
        assertThat(add.status()).isEqualTo(201);
    }

    @Test
    void chunkedOversizedBodyIs413() throws Exception {
        byte[] big = ("{\"ids\":[\"a\"],\"documents\":[\"" + "y".repeat((int) SMALL_LIMIT * 2) + "\"]}").getBytes(StandardCharsets.UTF_8);
        try (HttpClient http = HttpClient.newHttpClient()) {
            // ofInputStream has no known length, so the body goes chunked and the limit is enforced while reading.
            HttpRequest req = HttpRequest.newBuilder(URI.create(f.url() + c("add")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                    .build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            JsonNode body = JsonBody.MAPPER.readTree(r.body());
            assertThat(body.get("error").asText()).isEqualTo("PayloadTooLargeError");
            assertThat(body.get("message").asText()).contains("max_body_bytes");
        }
        assertThat(f.get("/api/v2/heartbeat").status()).isEqualTo(200);
    }

    /** One HTTP/1.1 exchange over a socket, for requests an HTTP client would not send. */
    private static Reply rawHttp(String method, String path, byte[] body, String contentType) {
        URI base = URI.create(f.url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, split).toLowerCase();
            String text = response.substring(split + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                text = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("\r\n0\r\n"));
            }
            return new Reply(status, text, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkError(SoftAssertions soft, String label, Reply r) {
        soft.assertThat(r.status()).as(label + " -> " + r.text()).isBetween(400, 499);
        JsonNode body;
        try {
            body = JsonBody.MAPPER.readTree(r.text());
        } catch (Exception e) {
            soft.fail(label + ": body is not JSON: " + r.text());
            return;
        }
        soft.assertThat(body != null && body.path("error").isTextual() && body.path("message").isTextual())
                .as(label + " error body: " + r.text()).isTrue();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
