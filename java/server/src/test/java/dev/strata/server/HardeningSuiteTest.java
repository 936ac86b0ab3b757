package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardening suite of issue 12, against the real engine (EmbeddedStrata over a temporary folder) through a real
 * server: hundreds of malformed requests over every route, each a 4xx JSON error that changes nothing (a canary
 * collection they all aim at stays as it was, and the node keeps answering); pathological regexes running
 * concurrently while the heartbeat keeps answering; the HTTP edges (413 and 401 from the headers, truncated bodies,
 * protocol errors), names, big integers and read deadlines.
 */
class HardeningSuiteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    private static final long BODY_LIMIT = 4L * 1024 * 1024;

    @TempDir
    static Path dir;

    private static EmbeddedStrata strata;
    private static StrataServer server;
    private static HttpClient http;
    private static String canary;

    @BeforeAll
    static void start() {
        strata = EmbeddedStrata.open(Settings.defaults(dir.resolve("node")));
        server = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                .withMaxBodyBytes(BODY_LIMIT)).start();
        http = HttpClient.newHttpClient();
        canary = createCollection("canary", "{\"topic\":\"birds\"}");
        Reply added = send("POST", records(canary, "add"), "{\"ids\":[\"a\",\"b\",\"c\"],\"embeddings\":[[1,2,3],[4,5,6],[7,8,9]],"
                + "\"documents\":[\"the quick fox\",\"a lazy dog\",null],\"metadatas\":[{\"k\":1,\"s\":\"x\"},{\"k\":2},null]}");
        assertThat(added.status()).as(added.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        strata.close();
        http.close();
    }

    record Reply(int status, String text, long millis) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text, e);
            }
        }
    }

    record Bad(String method, String path, byte[] body, String contentType) {
        static Bad json(String method, String path, String body) {
            return new Bad(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
        }

        String key() {
            return method + " " + path + " " + contentType + " " + (body == null ? "" : new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    private static String records(String id, String op) {
        return DB + "/collections/" + id + "/" + op;
    }

    private static String createCollection(String name, String metadata) {
        Reply r = send("POST", DB + "/collections", "{\"name\":\"" + name + "\",\"metadata\":" + metadata + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private static Reply send(String method, String path, String body) {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static Reply send(String method, String path, byte[] body, String contentType) {
        long start = System.nanoTime();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One exchange over a plain socket, for what an HTTP client would not send; waits at most {@code timeoutMs}. */
    private static Reply raw(int port, byte[] request, long timeoutMs) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            StringBuilder response = new StringBuilder();
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (complete(response)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                return new Reply(-1, response.toString(), (System.nanoTime() - start) / 1_000_000);
            }
            String text = response.toString();
            int status = text.startsWith("HTTP/") ? Integer.parseInt(text.substring(9, 12)) : -1;
            int split = text.indexOf("\r\n\r\n");
            return new Reply(status, split < 0 ? text : text.substring(split + 4), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a response with a Content-Length has arrived whole. */
    private static boolean complete(StringBuilder response) {
        int split = response.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = response.substring(0, split).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, end < 0 ? head.length() : end).trim());
        return response.length() - split - 4 >= length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String canaryState() {
        Reply collection = send("GET", DB + "/collections/canary", (String) null);
        Reply records = send("POST", records(canary, "get"), "{\"include\":[\"documents\",\"metadatas\",\"embeddings\",\"uris\"]}");
        Reply count = send("GET", records(canary, "count"), (String) null);
        return collection.status() + collection.text() + records.status() + records.text() + count.text();
    }

    // ---- the malformed-input suite

    /** The routes with a JSON body, each with a valid body; only broken variants of them are sent. */
    private static Map<String, String[]> bodyRoutes() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put(records(canary, "add"), new String[] {"POST", "{\"ids\":[\"x\"],\"embeddings\":[[1,2,3]]}"});
        m.put(records(canary, "upsert"), new String[] {"POST", "{\"ids\":[\"x\"],\"embeddings\":[[1,2,3]]}"});
        m.put(records(canary, "update"), new String[] {"POST", "{\"ids\":[\"a\"],\"documents\":[\"d\"]}"});
        m.put(records(canary, "delete"), new String[] {"POST", "{\"ids\":[\"a\"]}"});
        m.put(records(canary, "get"), new String[] {"POST", "{\"ids\":[\"a\"]}"});
        m.put(records(canary, "query"), new String[] {"POST", "{\"query_embeddings\":[[1,2,3]],\"n_results\":1}"});
        m.put(DB + "/collections", new String[] {"POST", "{\"name\":\"fresh\",\"get_or_create\":true}"});
        m.put(DB + "/collections/" + canary, new String[] {"PUT", "{\"new_name\":\"renamed\"}"});
        m.put("/api/v2/tenants", new String[] {"POST", "{\"name\":\"fresh_tenant\"}"});
        m.put("/api/v2/tenants/default_tenant/databases", new String[] {"POST", "{\"name\":\"fresh_db\"}"});
        return m;
    }

    private static List<Bad> malformedRequests() {
        List<Bad> out = new ArrayList<>();
        String[] badJson = {
            "", " ", "{", "}", "[", "{\"ids\":", "{\"ids\":[\"a\"]", "{\"ids\":[\"a\",]}", "{'ids':['a']}", "{ids:[\"a\"]}",
            "{\"ids\":[\"a\"]} trailing", "{\"ids\":[\"a\"]}{}", "{\"n\":NaN}", "{\"n\":Infinity}", "{\"n\":-Infinity}",
            "{\"a\":1,\"a\":2}", "/* c */ {}", "{\"ids\":[\"a\"] // c\n}", "nul", "tru", "fals", "{\"x\":\"\\q\"}",
            "{\"x\":\"unterminated}", "{\"x\":01}", "{\"x\":1.}", "{\"x\":.5}", "{\"x\":+1}", "{\"x\":0x10}",
            "{\"x\":" + "9".repeat(500) + "}", "\u0000", "{\"x\":\"\u0001\"}", "{\"x\":\"\\ud800\"}x",
        };
        bodyRoutes().forEach((path, mv) -> {
            String method = mv[0];
            String valid = mv[1];
            for (String b : badJson) {
                out.add(Bad.json(method, path, b));
            }
            out.add(new Bad(method, path, new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "application/json"));
            out.add(new Bad(method, path, new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                    "application/json"));
            out.add(Bad.json(method, path, "[" + valid + "]"));
            out.add(Bad.json(method, path, "\"" + valid.replace("\"", "'") + "\""));
            out.add(Bad.json(method, path, "42"));
            out.add(Bad.json(method, path, "null"));
            out.add(Bad.json(method, path, "true"));
            out.add(Bad.json(method, path, valid.replaceFirst("\\{", "{\"unexpected_field\":1,")));
            out.add(new Bad(method, path, valid.getBytes(StandardCharsets.UTF_8), "text/plain"));
            out.add(new Bad(method, path, valid.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
            out.add(new Bad(method, path, valid.getBytes(StandardCharsets.UTF_8), "application/xml"));
            out.add(new Bad(method, path, valid.getBytes(StandardCharsets.UTF_8), null));
            out.add(Bad.json(method, path, "{\"ids\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
            out.add(Bad.json(method, path, "{\"name\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}"));
        });

        // Record routes, field by field: wrong types, bad values, big integers, bad encodings.
        for (String op : List.of("add", "upsert", "update")) {
            String p = records(canary, op);
            for (String v : List.of("\"a\"", "1", "{}", "[1]", "[[\"a\"]]", "[{}]", "true", "[true]")) {
                out.add(Bad.json("POST", p, "{\"ids\":" + v + ",\"embeddings\":[[1,2,3]]}"));
                out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"documents\":" + v + "}"));
                out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"uris\":" + v + "}"));
            }
            for (String v : List.of("\"x\"", "1", "{}", "[1]", "[[\"x\"]]", "[[1,\"2\",3]]", "[[[1]]]", "[true]", "[[null,1,2]]",
                    "[{}]", "[[1e39,1,1]]", "[[-1e39,1,1]]", "[[1,2]]", "[[1,2,3,4]]", "[[]]", "[[99999999999999999999999,1,1]]")) {
                out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":" + v + "}"));
            }
            for (String v : List.of("\"!!!\"", "\"AAA\"", "\"AAAAA\"", "\"====\"", "\"AA AA\"", "\"AAAA\\nAAAA\"", "\"AACAgD8=\"")) {
                out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":[" + v + "]}"));
            }
            for (String v : List.of("\"m\"", "[1]", "[\"m\"]", "{}", "[[{}]]", "[{\"k\":{\"nested\":1}}]", "[{\"k\":[]}]",
                    "[{\"k\":[1,\"a\"]}]", "[{\"$k\":1}]", "[{\"#k\":1}]", "[{\"\":1}]", "[{\"k\":[[1]]}]",
                    "[{\"k\":" + "1".repeat(30) + "}]", "[{\"k\":-" + "1".repeat(25) + "}]", "[{\"k\":[1," + "9".repeat(20) + "]}]",
                    "[{\"k\":18446744073709551616}]", "[{\"k\":9223372036854775808}]")) {
                out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"metadatas\":" + v + "}"));
            }
            out.add(Bad.json("POST", p, "{\"ids\":[],\"embeddings\":[]}"));
            out.add(Bad.json("POST", p, "{\"ids\":[\"\"],\"embeddings\":[[1,2,3]]}"));
            out.add(Bad.json("POST", p, "{\"ids\":[null],\"embeddings\":[[1,2,3]]}"));
            out.add(Bad.json("POST", p, "{\"ids\":[\"a\",\"a\"],\"embeddings\":[[1,2,3],[1,2,3]]}"));
            out.add(Bad.json("POST", p, "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,2,3]]}"));
            out.add(Bad.json("POST", p, "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"documents\":[\"x\",\"y\"]}"));
            out.add(Bad.json("POST", p, "{\"embeddings\":[[1,2,3]]}"));
        }
        String[] counts = {"-1", "1.5", "\"10\"", "true", "[]", "{}", "4294967296", "1e400", "99999999999999999999", "-2147483649", "null1"};
        for (String v : counts) {
            out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":[[1,2,3]],\"n_results\":" + v + "}"));
            out.add(Bad.json("POST", records(canary, "get"), "{\"limit\":" + v + "}"));
            out.add(Bad.json("POST", records(canary, "get"), "{\"offset\":" + v + "}"));
            out.add(Bad.json("POST", records(canary, "delete"), "{\"where\":{\"k\":1},\"limit\":" + v + "}"));
        }
        out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":[[1,2,3]],\"n_results\":0}"));
        out.add(Bad.json("POST", records(canary, "delete"), "{}"));
        out.add(Bad.json("POST", records(canary, "delete"), "{\"limit\":1}"));
        for (String v : List.of("[]", "[[]]", "[null]", "\"AAAA\"", "[[1,2]]", "[[1e39,1,1]]", "[\"!!\"]", "{}", "1",
                "[[1,2,18446744073709551616]]")) {
            out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":" + v + "}"));
        }
        out.add(Bad.json("POST", records(canary, "query"), "{\"n_results\":1}"));
        for (String w : List.of("\"x\"", "1", "[]", "{\"k\":{\"$bad\":1}}", "{\"$and\":\"x\"}", "{\"$and\":[]}", "{\"$or\":[1]}",
                "{\"k\":{\"$in\":[]}}", "{\"k\":{\"$in\":1}}", "{\"k\":{\"$gt\":\"s\"}}", "{\"a\":1,\"b\":2}", "{\"k\":{\"$eq\":{}}}",
                "{\"k\":{\"$eq\":1,\"$ne\":2}}", "{\"k\":null}", "{\"$not\":{}}", "{\"k\":{\"$in\":[1,\"a\"]}}",
                "{\"k\":{\"$regex\":\"a\"}}", "{\"#document\":\"x\"}", "{\"k\":[1,2]}", "{\"k\":" + "9".repeat(25) + "}",
                "{\"k\":{\"$in\":[" + "9".repeat(25) + "]}}", "{\"k\":{\"$gt\":18446744073709551616}}",
                "{\"$and\":[" + "{\"$and\":[".repeat(80) + "{\"k\":1}" + "]}".repeat(80) + "]}")) {
            out.add(Bad.json("POST", records(canary, "get"), "{\"where\":" + w + "}"));
            out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":[[1,2,3]],\"where\":" + w + "}"));
            out.add(Bad.json("POST", records(canary, "delete"), "{\"where\":" + w + "}"));
        }
        for (String w : List.of("\"x\"", "{\"$contains\":1}", "{\"$bad\":\"x\"}", "{\"$regex\":\"(\"}", "{\"$and\":[]}",
                "{\"k\":\"v\"}", "{\"$contains\":\"a\",\"$regex\":\"b\"}", "{\"$regex\":\"(a)\\\\1\"}", "{\"$regex\":\"a(?=b)\"}",
                "{\"$not_regex\":\"(?<!a)b\"}", "{\"$regex\":\"(?>a)\"}", "{\"$regex\":\"a++\"}", "{\"$regex\":\"((a{1000}){1000}){1000}\"}",
                "{\"$regex\":\"" + "a".repeat(5000) + "\"}", "{\"$regex\":null}", "{\"$regex\":[\"a\"]}", "{\"$or\":[{\"$regex\":\"[\"}]}")) {
            out.add(Bad.json("POST", records(canary, "get"), "{\"where_document\":" + w + "}"));
            out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":[[1,2,3]],\"where_document\":" + w + "}"));
            out.add(Bad.json("POST", records(canary, "delete"), "{\"where_document\":" + w + "}"));
        }
        for (String v : List.of("\"documents\"", "[\"bogus\"]", "[1]", "{}", "[\"distances\"]", "[null]")) {
            out.add(Bad.json("POST", records(canary, "get"), "{\"include\":" + v + "}"));
        }
        out.add(Bad.json("POST", records(canary, "query"), "{\"query_embeddings\":[[1,2,3]],\"include\":[\"bogus\"]}"));

        // Collections: names, metadata and configuration at create; the same at modify.
        String longName = "n".repeat(100_000);
        for (String v : List.of("{\"name\":1}", "{\"name\":\"x\"}", "{\"name\":\"a..b\"}", "{\"name\":\"192.168.1.1\"}", "{}",
                "{\"name\":\"a/b\"}", "{\"name\":\"a\\u0000b\"}", "{\"name\":\"a\\nbc\"}", "{\"name\":\"" + longName + "\"}",
                "{\"name\":\"-abc\"}", "{\"name\":\"abc-\"}", "{\"name\":\"ok-name\",\"metadata\":{}}",
                "{\"name\":\"ok-name\",\"metadata\":\"m\"}", "{\"name\":\"ok-name\",\"metadata\":{\"k\":{\"n\":1}}}",
                "{\"name\":\"ok-name\",\"metadata\":{\"k\":18446744073709551616}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"space\":\"x\"}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"max_neighbors\":2147483647}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"max_neighbors\":1}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"max_neighbors\":99999999999999999999}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"ef_construction\":0}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"ef_construction\":1000000}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"ef_search\":-1}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"ef_search\":100000000}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"num_threads\":0}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"resize_factor\":0.5}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"resize_factor\":1e300}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"sync_threshold\":1}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"batch_size\":\"big\"}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":[]}}", "{\"name\":\"ok-name\",\"configuration\":{\"hnsw\":{\"bogus\":1}}}",
                "{\"name\":\"ok-name\",\"configuration\":{\"bogus\":{}}}", "{\"name\":\"ok-name\",\"configuration\":[]}",
                "{\"name\":\"ok-name\",\"get_or_create\":\"yes\"}", "{\"name\":\"ok-name\",\"metadata\":{\"hnsw:space\":\"manhattan\"}}",
                "{\"name\":\"ok-name\",\"metadata\":{\"hnsw:M\":100000}}", "{\"name\":\"canary\"}")) {
            out.add(Bad.json("POST", DB + "/collections", v));
        }
        for (String v : List.of("{\"new_name\":1}", "{\"new_name\":\"x\"}", "{\"new_name\":\"a/b\"}", "{\"new_metadata\":[]}",
                "{\"new_metadata\":{}}", "{\"new_metadata\":{\"k\":18446744073709551616}}",
                "{\"new_configuration\":{\"hnsw\":{\"space\":\"ip\"}}}", "{\"new_configuration\":{\"hnsw\":{\"max_neighbors\":32}}}",
                "{\"new_configuration\":{\"hnsw\":{\"ef_search\":0}}}", "{\"new_configuration\":{\"hnsw\":{\"ef_search\":2147483647}}}",
                "{\"new_configuration\":{\"hnsw\":{\"ef_search\":1.5}}}", "{\"new_configuration\":{\"hnsw\":{\"resize_factor\":-1}}}",
                "{\"new_configuration\":{\"hnsw\":{\"bogus\":1}}}", "{\"new_configuration\":1}",
                "{\"new_name\":\"renamed\",\"new_configuration\":{\"hnsw\":{\"ef_search\":0}}}")) {
            out.add(Bad.json("PUT", DB + "/collections/" + canary, v));
        }
        // Tenants and databases: Chroma's name rule, so that '/', NUL and control characters never become names.
        for (String name : List.of("ab", "a/b", "a\\u0000b", "ab\\u0007c", "tab\\tname", "a..b", "-lead", "trail-", "sp ace",
                "10.0.0.1", "n".repeat(600), "ü-umlaut")) {
            out.add(Bad.json("POST", "/api/v2/tenants", "{\"name\":\"" + name + "\"}"));
            out.add(Bad.json("POST", "/api/v2/tenants/default_tenant/databases", "{\"name\":\"" + name + "\"}"));
        }
        for (String v : List.of("{\"name\":[]}", "{}", "{\"name\":null}", "{\"name\":1}")) {
            out.add(Bad.json("POST", "/api/v2/tenants", v));
            out.add(Bad.json("POST", "/api/v2/tenants/default_tenant/databases", v));
        }
        out.add(Bad.json("POST", "/api/v2/tenants", "{\"name\":\"default_tenant\"}"));
        out.add(Bad.json("POST", "/api/v2/tenants/default_tenant/databases", "{\"name\":\"default_database\"}"));
        out.add(Bad.json("POST", "/api/v2/tenants/no_such_tenant/databases", "{\"name\":\"a/b\"}"));

        // Paths, ids, methods and query strings of every route.
        String unknown = UUID.randomUUID().toString();
        for (String op : List.of("add", "upsert", "update", "delete", "get", "query")) {
            out.add(Bad.json("POST", records("not-a-uuid", op), "{}"));
            out.add(Bad.json("POST", records(unknown, op), "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],\"query_embeddings\":[[1,2,3]]}"));
            out.add(Bad.json("POST", "/api/v2/tenants/nobody/databases/nothing/collections/" + canary + "/" + op, "{}"));
            out.add(Bad.json("POST", "/api/v2/tenants/default_tenant/databases/nothing/collections/" + canary + "/" + op, "{}"));
            out.add(Bad.json("GET", records(canary, op), null));
            out.add(Bad.json("DELETE", records(canary, op), null));
        }
        for (String op : List.of("count", "indexing_status")) {
            out.add(Bad.json("GET", records("not-a-uuid", op), null));
            out.add(Bad.json("GET", records(unknown, op), null));
            out.add(Bad.json("POST", records(canary, op), "{}"));
        }
        for (String p : List.of(DB + "/collections/" + canary + "/nothing", DB + "/collections/" + canary + "/get/extra",
                "/api/v1/collections", "/api/v1/heartbeat", "/api/v3/heartbeat", "/api/v2/nothing", "/",
                "/api/v2/tenants/nobody", "/api/v2/tenants/nobody/databases", "/api/v2/tenants/default_tenant/databases/nothing",
                DB + "/collections/nothing", DB + "/collections/by-id/" + unknown, DB + "/collections/by-id/not-a-uuid",
                "/api/v2/collections/no-colons", "/api/v2/collections/a:b", "/api/v2/collections/a:b:c:d",
                "/api/v2/collections/default_tenant:default_database:nothing", "/api/v2/tenants/nobody/databases/x/collections_count",
                DB + "/collections/" + "x".repeat(20_000))) {
            out.add(Bad.json("GET", p, null));
        }
        for (String q : List.of("?limit=x", "?limit=-1", "?offset=1.5", "?limit=99999999999", "?offset=-5", "?limit=1e3")) {
            out.add(Bad.json("GET", DB + "/collections" + q, null));
            out.add(Bad.json("GET", "/api/v2/tenants/default_tenant/databases" + q, null));
        }
        out.add(Bad.json("DELETE", DB + "/collections/nothing", null));
        out.add(Bad.json("DELETE", "/api/v2/tenants/default_tenant/databases/nothing", null));
        out.add(Bad.json("DELETE", "/api/v2/tenants/default_tenant", null));
        out.add(Bad.json("PUT", DB + "/collections/" + unknown, "{\"new_name\":\"zzz\"}"));
        out.add(Bad.json("PUT", DB + "/collections/not-a-uuid", "{\"new_name\":\"zzz\"}"));
        out.add(Bad.json("POST", "/api/v2/heartbeat", "{}"));
        out.add(Bad.json("DELETE", "/api/v2/version", null));
        out.add(Bad.json("POST", "/api/v2/reset", null));
        out.add(Bad.json("PUT", "/healthz/live", "{}"));
        out.add(Bad.json("BREW", records(canary, "get"), null));
        out.add(Bad.json("PATCH", records(canary, "get"), "{}"));
        // Over the body limit, declared by Content-Length.
        String big = "{\"ids\":[\"a\"],\"documents\":[\"" + "x".repeat((int) BODY_LIMIT) + "\"]}";
        out.add(Bad.json("POST", records(canary, "add"), big));
        out.add(Bad.json("POST", records(canary, "get"), big));
        return out;
    }

    @Test
    void everyMalformedRequestOnEveryRouteIsA4xxJsonErrorAndChangesNothing() {
        List<Bad> bad = malformedRequests();
        Set<String> distinct = new HashSet<>();
        bad.forEach(b -> distinct.add(b.key()));
        assertThat(distinct.size()).as("distinct malformed requests").isGreaterThanOrEqualTo(400);
        String before = canaryState();
        String collectionsBefore = send("GET", DB + "/collections_count", (String) null).text();

        SoftAssertions soft = new SoftAssertions();
        for (Bad b : bad) {
            String label = b.method() + " " + abbreviate(b.path()) + " " + (b.body() == null ? "" : abbreviate(new String(b.body(), StandardCharsets.UTF_8)))
                    + " [" + b.contentType() + "]";
            Reply r;
            try {
                r = b.method().equals("BREW") ? raw(server.port(), ascii("BREW " + b.path() + " HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n"), 10_000) : send(b.method(), b.path(), b.body(), b.contentType());
            } catch (UncheckedIOException e) {
                soft.fail(label + ": no answer: " + e.getMessage());
                continue;
            }
            soft.assertThat(r.status()).as(label + " -> " + abbreviate(r.text())).isBetween(400, 499);
            JsonNode body = null;
            try {
                body = JSON.readTree(r.text());
            } catch (IOException e) {
                soft.fail(label + ": not JSON: " + abbreviate(r.text()));
            }
            if (body != null) {
                soft.assertThat(body.path("error").isTextual() && body.path("message").isTextual())
                        .as(label + " error body: " + abbreviate(r.text())).isTrue();
            }
        }
        soft.assertAll();

        assertThat(send("GET", "/api/v2/heartbeat", (String) null).status()).isEqualTo(200);
        assertThat(canaryState()).as("the canary collection after %d malformed requests", bad.size()).isEqualTo(before);
        assertThat(send("GET", "/api/v2/tenants/default_tenant/databases", (String) null).json().size()).isEqualTo(1);
        assertThat(send("GET", DB + "/collections_count", (String) null).text()).isEqualTo(collectionsBefore);
    }

    // ---- pathological regexes, deadlines and disconnects

    /** A collection of {@code n} documents of {@code chars} 'a's, half compacted and half in the log tail. */
    private static String documents(EmbeddedStrata engine, StrataServer on, String name, int n, int chars) {
        String doc = "a".repeat(chars);
        Reply created = sendTo(on, "POST", DB + "/collections", "{\"name\":\"" + name + "\"}");
        String id = created.json().get("id").asText();
        for (int half = 0; half < 2; half++) {
            StringBuilder body = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < n / 2; i++) {
                body.append(i == 0 ? "" : ",").append("\"d").append(half).append('-').append(i).append('"');
            }
            body.append("],\"embeddings\":[");
            for (int i = 0; i < n / 2; i++) {
                body.append(i == 0 ? "" : ",").append("[").append(i).append(",1,0]");
            }
            body.append("],\"documents\":[");
            for (int i = 0; i < n / 2; i++) {
                body.append(i == 0 ? "" : ",").append('"').append(doc).append('"');
            }
            body.append("]}");
            Reply added = sendTo(on, "POST", records(id, "add"), body.toString());
            assertThat(added.status()).as(added.text()).isEqualTo(201);
            if (half == 0) {
                engine.database().getCollection(name).compact();
            }
        }
        return id;
    }

    private static Reply sendTo(StrataServer on, String method, String path, String body) {
        long start = System.nanoTime();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Heartbeats sent one after another (a pause between them), each one's round trip in microseconds, sorted. */
    private static long[] heartbeats(int samples) throws InterruptedException {
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            Reply beat = send("GET", "/api/v2/heartbeat", (String) null);
            micros[i] = (System.nanoTime() - start) / 1_000;
            assertThat(beat.status()).isEqualTo(200);
            Thread.sleep(15);
        }
        Arrays.sort(micros);
        return micros;
    }

    private static double p95Ms(long[] sortedMicros) {
        return sortedMicros[(int) Math.ceil(sortedMicros.length * 0.95) - 1] / 1000.0;
    }

    private static String summary(long[] sortedMicros) {
        return String.format("median %.1f ms, p95 %.1f ms, max %.1f ms over %d", sortedMicros[sortedMicros.length / 2] / 1000.0,
                p95Ms(sortedMicros), sortedMicros[sortedMicros.length - 1] / 1000.0, sortedMicros.length);
    }

    /**
     * The bound: with pathological regexes running concurrently, the heartbeat stays under 100 ms. It is
     * asserted on the 95th percentile of 200 heartbeats, net of the machine's own noise: the same heartbeats with no
     * read running, measured just before and just after, by the same client in the same JVM. On an idle machine that
     * baseline is 1-3 ms and the bound is practically 100 ms flat; on a loaded CI machine (other builds, a load
     * average of 17 was seen) the baseline grows with the machine's scheduling delays and GC pauses, and the test
     * still judges only what the server adds. A percentile, not the maximum: one heartbeat can always meet a GC pause
     * or a descheduled client thread, which says nothing about the server. What keeps the heartbeat fast: it is
     * answered on Jetty's platform thread, reads run on at most two read workers per core, and those run at nice
     * 10, so the kernel runs Jetty's threads first. Before issue 12, two such regexes stopped the heartbeat entirely.
     */
    @Test
    void theHeartbeatStaysUnderAHundredMillisecondsWhilePathologicalRegexesRun() throws Exception {
        String id = documents(strata, server, "pathological", 16, 100_000);
        String[] patterns = {"(.*a){12}x", "^(a|b)*$", "(a*)*b", "(x+x+)+y", "(.*a){12}x"};
        heartbeats(20); // warms the client and the route
        long[] before = heartbeats(100);

        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(patterns.length);
        List<Future<?>> running = new ArrayList<>();
        long[] loaded;
        try {
            for (String p : patterns) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        statuses.add(send("POST", records(id, "get"), "{\"where_document\":{\"$regex\":\"" + p
                                + "\"},\"include\":[]}").status());
                    }
                }));
            }
            Thread.sleep(500); // the regexes are running
            loaded = heartbeats(200);
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            clients.shutdown();
        }
        long[] after = heartbeats(100);

        double noise = Math.max(p95Ms(before), p95Ms(after));
        System.out.printf("heartbeat with regexes running: %s; with no read running: before %s, after %s%n",
                summary(loaded), summary(before), summary(after));
        assertThat(p95Ms(loaded) - noise)
                .as("95th percentile heartbeat under load (%s) minus the one with no read running (before: %s;"
                        + " after: %s)", summary(loaded), summary(before), summary(after))
                .isLessThan(100.0);
        assertThat(statuses).as("regex answers").isNotEmpty().allSatisfy(s -> assertThat(s).isIn(200, 408, 429));
        assertThat(statuses).contains(200);
        // Linear-time matching: the catastrophic pattern answers, and correctly.
        Reply r = send("POST", records(id, "get"), "{\"where_document\":{\"$regex\":\"^(a|b)*$\"},\"include\":[]}");
        assertThat(r.json().get("ids").size()).isEqualTo(16);
        Reply none = send("POST", records(id, "get"), "{\"where_document\":{\"$not_regex\":\"^(a|b)*$\"},\"include\":[]}");
        assertThat(none.json().get("ids").size()).isZero();
    }

    @Test
    void readWorkersRunBelowTheHeartbeatsPriority() throws Exception {
        // The read workers lower their own nice value as they start (Linux; elsewhere nothing changes).
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        send("POST", records(canary, "get"), "{\"ids\":[\"a\"]}");
        Map<String, Integer> niceByThread = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised name: state is field 3, nice field 19.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    niceByThread.merge(comm, Integer.parseInt(fields[16]), Math::max);
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        assertThat(niceByThread).as("threads and their nice values").containsKey("strata-read-0");
        assertThat(niceByThread.get("strata-read-0")).isEqualTo(ReadWorkers.NICE);
        assertThat(niceByThread.entrySet().stream().filter(e -> e.getKey().startsWith("strata-http")).map(Map.Entry::getValue))
                .as("Jetty's threads").isNotEmpty().allSatisfy(n -> assertThat(n).isZero());
    }

    /** A slow read sent on a plain socket that is then left open without reading: the socket, to close later. */
    private static Socket startRead(int port, String path, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n"));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static double cancelledReads(StrataServer on, String cause) {
        var counter = on.meterRegistry().find(HttpMetrics.READS_CANCELLED).tag("cause", cause).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * A client that closes its connection while its read runs frees the read's worker within a second, not at the
     * read's deadline: one read worker and no queue, so a second read is refused with 429 while the first runs and
     * answered again once it stopped. The slow read is a linear-time but heavy regex over 8 documents of 100 KB
     * (about 3 s each on the build machine), with a 120 s deadline.
     */
    @Test
    void aClientThatClosesItsConnectionStopsItsReadAtOnce() throws Exception {
        try (EmbeddedStrata engine = EmbeddedStrata.open(Settings.defaults(dir.resolve("disconnect"))
                .with("STRATA_QUERY_TIMEOUT_MS", "120000"));
             StrataServer on = new StrataServer(engine, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                     .withQueryTimeoutMs(120_000), new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                             io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT), new ReadWorkers(1, 0)).start()) {
            String id = documents(engine, on, "long-read", 8, 100_000);
            String count = records(id, "count");
            assertThat(sendTo(on, "GET", count, null).status()).isEqualTo(200);

            // The slow read holds the only worker once a count is refused while the slow read has no answer (a count
            // that held the worker at the moment the slow read arrived would have it refused instead: send it again).
            Socket client = null;
            for (int attempt = 0; client == null; attempt++) {
                assertThat(attempt).as("attempts to get the slow read running").isLessThan(20);
                Socket s = startRead(on.port(), records(id, "get"), "{\"where_document\":{\"$regex\":\"(a|b){1,1000}x\"},"
                        + "\"include\":[]}");
                Thread.sleep(200);
                if (s.getInputStream().available() == 0 && sendTo(on, "GET", count, null).status() == 429) {
                    client = s;
                } else {
                    s.close();
                }
            }
            Thread.sleep(300);
            assertThat(sendTo(on, "GET", count, null).status()).as("the worker is still busy").isEqualTo(429);

            double cancelledBefore = cancelledReads(on, HttpMetrics.CLIENT_CLOSED);
            long closedAt = System.nanoTime();
            client.close();
            Reply answered;
            while ((answered = sendTo(on, "GET", count, null)).status() == 429) {
                Thread.sleep(20);
            }
            long freedMs = (System.nanoTime() - closedAt) / 1_000_000;
            System.out.println("read worker freed " + freedMs + " ms after its client closed");
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.text()).isEqualTo("8");
            assertThat(freedMs).as("ms from the client's close until its read worker took a new read").isLessThan(1_500);
            assertThat(cancelledReads(on, HttpMetrics.CLIENT_CLOSED)).isEqualTo(cancelledBefore + 1);
            assertThat(sendTo(on, "GET", "/metrics", null).text())
                    .contains("strata_http_reads_cancelled_total{cause=\"client_closed\"}");
        }
    }

    /**
     * The watch never reads from the socket: a request pipelined on the connection while a read runs is left for
     * Jetty, answered after the read, and the read itself is not cancelled (the client is there).
     */
    @Test
    void aRequestPipelinedDuringAReadIsAnsweredAfterItAndCancelsNothing() throws Exception {
        String id = documents(strata, server, "pipelined", 8, 100_000);
        double cancelledBefore = cancelledReads(server, HttpMetrics.CLIENT_CLOSED);
        try (Socket client = startRead(server.port(), records(id, "get"),
                "{\"where_document\":{\"$regex\":\"(.*a){12}x\"},\"include\":[]}")) {
            client.setSoTimeout(60_000);
            Thread.sleep(150); // the read runs
            client.getOutputStream().write(ascii("GET " + records(id, "count") + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            client.getOutputStream().flush();
            InputStream in = client.getInputStream();
            StringBuilder first = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            while (!complete(first) && (n = in.read(buffer)) >= 0) {
                first.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(first.toString()).startsWith("HTTP/1.1 200").contains("\"ids\":[]");
            // Whatever followed the first answer is the start of the second.
            String head = first.toString();
            int split = head.indexOf("\r\n\r\n");
            int length = Integer.parseInt(head.substring(head.toLowerCase().indexOf("content-length:") + 15,
                    head.indexOf("\r\n", head.toLowerCase().indexOf("content-length:"))).trim());
            StringBuilder second = new StringBuilder(head.substring(split + 4 + length));
            while (!complete(second) && (n = in.read(buffer)) >= 0) {
                second.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(second.toString()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n8");
        }
        assertThat(cancelledReads(server, HttpMetrics.CLIENT_CLOSED)).isEqualTo(cancelledBefore);
    }

    @Test
    void aReadPastItsDeadlineIs408AndTheNodeGoesOn() throws Exception {
        try (EmbeddedStrata slow = EmbeddedStrata.open(Settings.defaults(dir.resolve("deadline"))
                .with("STRATA_QUERY_TIMEOUT_MS", "150"));
             StrataServer on = new StrataServer(slow, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                     .withQueryTimeoutMs(150)).start()) {
            String id = documents(slow, on, "slow", 40, 100_000);
            Reply r = sendTo(on, "POST", records(id, "get"), "{\"where_document\":{\"$regex\":\"(.*a){12}x\"}}");
            assertThat(r.status()).as(r.text()).isEqualTo(408);
            assertThat(r.json().get("error").asText()).isEqualTo("RequestTimeoutError");
            assertThat(r.json().get("message").asText()).contains("STRATA_QUERY_TIMEOUT_MS");
            Reply q = sendTo(on, "POST", records(id, "query"), "{\"query_embeddings\":[[1,1,0]],\"n_results\":3,"
                    + "\"where_document\":{\"$regex\":\"(.*a){12}x\"}}");
            assertThat(q.status()).as(q.text()).isEqualTo(408);
            assertThat(sendTo(on, "GET", records(id, "count"), null).text()).isEqualTo("40");
        }
    }

    // ---- HTTP edges

    @Test
    void anOversizedBodyIs413FromItsHeadersBeforeAnyContinue() {
        for (String expect : List.of("Expect: 100-continue\r\n", "")) {
            Reply r = raw(server.port(), ascii("POST " + records(canary, "add") + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\n" + expect + "Content-Length: 50000000\r\n\r\n"), 5_000);
            assertThat(r.status()).as(r.text()).isEqualTo(413);
            assertThat(r.json().get("error").asText()).isEqualTo("PayloadTooLargeError");
        }
    }

    @Test
    void anUnauthenticatedBodyIsNeverReadAndATruncatedOneIs400WithinFiveSeconds() {
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        tokens.put("secret", null);
        try (StrataServer authed = new StrataServer(strata, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
                .withAuthTokens(tokens)).start()) {
            // 40 MB announced, nothing sent: the answer comes from the headers alone. A write's body would be read on
            // a virtual thread, a read's as it arrives: both refuse it first.
            for (String route : List.of("add", "get")) {
                for (String expect : List.of("Expect: 100-continue\r\n", "")) {
                    Reply r = raw(authed.port(), ascii("POST " + records(canary, route) + " HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\n" + expect + "Content-Length: 40000000\r\n\r\n"), 5_000);
                    assertThat(r.status()).as(route + ": " + r.text()).isEqualTo(401);
                    assertThat(r.json().get("error").asText()).isEqualTo("AuthError");
                }
                Reply truncated = raw(authed.port(), ascii("POST " + records(canary, route) + " HTTP/1.1\r\nHost: x\r\n"
                        + "X-Chroma-Token: secret\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ids\":"),
                        10_000);
                assertThat(truncated.status()).as(route + ": " + truncated.text()).isEqualTo(400);
                assertThat(truncated.millis()).as(route + ": ms until the truncated body was answered").isLessThan(5_000);
                assertThat(truncated.json().get("message").asText()).contains("Content-Length");
            }
            // A read with a whole body and the token is answered on the same server.
            Reply answered = raw(authed.port(), ascii("POST " + records(canary, "get") + " HTTP/1.1\r\nHost: x\r\n"
                    + "X-Chroma-Token: secret\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: 12\r\n\r\n{\"limit\": 1}"), 10_000);
            assertThat(answered.status()).as(answered.text()).isEqualTo(200);
        }
    }

    @Test
    void protocolErrorsAre4xxWithTheJsonErrorBody() {
        for (String line : List.of("GET /api/v2/heartbeat\r\n\r\n", "GET /api/v2/heartbeat HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /api/v2/heartbeat HTTP/1.x\r\nHost: x\r\n\r\n", "GET /api/v2/heartbeat HTTPS/1.1\r\nHost: x\r\n\r\n",
                "\u0001\u0002\r\n\r\n", "GET /api/v2/heart beat HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/v2/%zz HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api/v2/tenants/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/v2/tenants/a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/v2/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}",
                "POST /api/v2/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "GET /api/v2/heartbeat HTTP/1.1\r\nHost: x\r\nX-Long: " + "h".repeat(70_000) + "\r\n\r\n")) {
            Reply r = raw(server.port(), ascii(line), 10_000);
            assertThat(r.status()).as(line.length() > 80 ? line.substring(0, 80) : line).isBetween(400, 499);
            assertThat(r.json().path("error").isTextual()).as(r.text()).isTrue();
            assertThat(r.json().path("message").isTextual()).as(r.text()).isTrue();
        }
        assertThat(send("GET", "/api/v2/heartbeat", (String) null).status()).isEqualTo(200);
    }

    @Test
    void namesAndBigIntegersAreRefusedWithTheRuleSaid() {
        Reply slash = send("POST", "/api/v2/tenants", "{\"name\":\"a/b\"}");
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.json().get("message").asText()).contains("[a-zA-Z0-9._-]");
        Reply nul = send("POST", "/api/v2/tenants/default_tenant/databases", "{\"name\":\"a\\u0000bc\"}");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().get("message").asText()).contains("\\u0000");
        Reply big = send("POST", records(canary, "upsert"), "{\"ids\":[\"a\"],\"embeddings\":[[1,2,3]],"
                + "\"metadatas\":[{\"k\":18446744073709551616}]}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("message").asText()).contains("metadatas[0].k").contains("64 bits");
        Reply max = send("POST", DB + "/collections", "{\"name\":\"huge-m\",\"configuration\":{\"hnsw\":{\"max_neighbors\":2147483647}}}");
        assertThat(max.status()).isEqualTo(400);
        assertThat(max.json().get("message").asText()).contains("hnsw.max_neighbors");
        assertThat(send("GET", DB + "/collections/huge-m", (String) null).status()).as("nothing written").isEqualTo(404);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
