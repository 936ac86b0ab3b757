package dev.strata.ops.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.RecordSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of one tenant / database of a Chroma server (or a Strata server) over the HTTP API v2: the few calls
 * import and export need. Every error answer becomes a {@link ChromaHttpException} carrying the server's message.
 */
public final class ChromaHttpClient {

    /** Chroma's include names for every stored field. */
    private static final List<String> ALL_FIELDS = List.of("embeddings", "documents", "metadatas", "uris");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final String token;
    private final String tenant;
    private final String database;

    /**
     * @param server   e.g. http://localhost:8000 (a trailing slash is ignored)
     * @param token    sent as both X-Chroma-Token and Authorization: Bearer (the server reads the one it is
     *                 configured for); null for none
     */
    public ChromaHttpClient(URI server, String token, String tenant, String database) {
        Objects.requireNonNull(server, "server");
        if (server.getScheme() == null || !server.getScheme().startsWith("http") || server.getHost() == null) {
            throw new IllegalArgumentException("Chroma server URL must be http(s)://host:port, got " + server);
        }
        String s = server.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.token = token;
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.database = Objects.requireNonNull(database, "database");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI server() {
        return base;
    }

    public String tenant() {
        return tenant;
    }

    public String database() {
        return database;
    }

    public Preflight preflight() {
        JsonNode n = send("GET", "/api/v2/pre-flight-checks", null);
        return new Preflight(n.path("max_batch_size").asInt(1000), n.path("supports_base64_encoding").asBoolean(false));
    }

    /** Creates the tenant and the database on the server when they are missing. */
    public void ensureDatabase() {
        try {
            send("GET", "/api/v2/tenants/" + tenant + "/databases/" + database, null);
            return;
        } catch (ChromaHttpException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        createIgnoringConflict("/api/v2/tenants", tenant);
        createIgnoringConflict("/api/v2/tenants/" + tenant + "/databases", database);
    }

    private void createIgnoringConflict(String path, String name) {
        try {
            send("POST", path, json.createObjectNode().put("name", name));
        } catch (ChromaHttpException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    /** Every collection of the database, paging through the list. */
    public List<RemoteCollection> listCollections() {
        List<RemoteCollection> out = new ArrayList<>();
        int page = 100;
        while (true) {
            JsonNode n = send("GET", collections() + "?limit=" + page + "&offset=" + out.size(), null);
            for (JsonNode c : n) {
                out.add(collection(c));
            }
            if (n.size() < page) {
                return out;
            }
        }
    }

    public RemoteCollection getCollection(String name) {
        return collection(send("GET", collections() + "/" + name, null));
    }

    /** Creates the collection, or returns the existing one of that name (whose configuration then wins). */
    public RemoteCollection getOrCreateCollection(String name, Map<String, Object> metadata, Map<String, Object> configuration) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.set("metadata", json.valueToTree(metadata == null || metadata.isEmpty() ? null : metadata));
        body.set("configuration", json.valueToTree(configuration));
        body.put("get_or_create", true);
        return collection(send("POST", collections(), body));
    }

    public int count(String collectionId) {
        return send("GET", collections() + "/" + collectionId + "/count", null).asInt();
    }

    /** One page of records with every stored field, in the server's order. */
    public GetResult get(String collectionId, int limit, int offset) {
        ObjectNode body = json.createObjectNode();
        body.put("limit", limit);
        body.put("offset", offset);
        ArrayNode include = body.putArray("include");
        ALL_FIELDS.forEach(include::add);
        JsonNode n = send("POST", collections() + "/" + collectionId + "/get", body);
        List<String> ids = strings(n.get("ids"));
        return new GetResult(ids, vectors(n.get("embeddings")), strings(n.get("documents")), metadatas(n.get("metadatas")),
                strings(n.get("uris")), EnumSet.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS));
    }

    /**
     * Adds the records (existing ids are ignored by the server); embeddings go as base64 little-endian float32
     * when the server supports it, which keeps every bit, else as JSON arrays.
     */
    public void add(String collectionId, RecordSet records, boolean base64) {
        ObjectNode body = json.createObjectNode();
        body.set("ids", json.valueToTree(records.ids()));
        ArrayNode embeddings = body.putArray("embeddings");
        for (float[] e : records.embeddings()) {
            if (base64) {
                embeddings.add(base64(e));
            } else {
                ArrayNode a = embeddings.addArray();
                for (float f : e) {
                    a.add(f);
                }
            }
        }
        body.set("documents", json.valueToTree(records.documents()));
        body.set("metadatas", json.valueToTree(records.metadatas()));
        body.set("uris", json.valueToTree(records.uris()));
        send("POST", collections() + "/" + collectionId + "/add", body);
    }

    /** Nearest neighbours of each query embedding: ids and distances, nearest first. */
    public RemoteQueryResult query(String collectionId, List<float[]> queryEmbeddings, int nResults) {
        ObjectNode body = json.createObjectNode();
        body.set("query_embeddings", json.valueToTree(queryEmbeddings));
        body.put("n_results", nResults);
        body.putArray("include").add("distances");
        JsonNode n = send("POST", collections() + "/" + collectionId + "/query", body);
        List<List<String>> ids = new ArrayList<>();
        n.get("ids").forEach(row -> ids.add(strings(row)));
        List<List<Float>> distances = new ArrayList<>();
        n.get("distances").forEach(row -> {
            List<Float> d = new ArrayList<>();
            row.forEach(v -> d.add(v.floatValue()));
            distances.add(d);
        });
        return new RemoteQueryResult(ids, distances);
    }

    private String collections() {
        return "/api/v2/tenants/" + tenant + "/databases/" + database + "/collections";
    }

    private RemoteCollection collection(JsonNode c) {
        JsonNode configuration = c.get("configuration_json");
        return new RemoteCollection(c.path("id").asText(), c.path("name").asText(), object(c.get("metadata")),
                configuration == null || configuration.isNull() ? Map.of() : object(configuration));
    }

    private JsonNode send(String method, String path, JsonNode body) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        if (token != null) {
            request.header("X-Chroma-Token", token).header("Authorization", "Bearer " + token);
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() / 100 != 2) {
                throw new ChromaHttpException(response.statusCode(),
                        method + " " + uri + " answered " + response.statusCode() + ": " + errorMessage(text));
            }
            return text.isEmpty() ? json.nullNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ChromaHttpException(method + " " + uri + " answered malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ChromaHttpException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChromaHttpException(method + " " + uri + " interrupted", e);
        }
    }

    /** Chroma's {"error": ..., "message": ...}, or the body as it came. */
    private String errorMessage(String text) {
        try {
            JsonNode n = json.readTree(text);
            if (n != null && n.has("message")) {
                return n.path("error").asText("") + " " + n.get("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: the raw body says what went wrong
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private Map<String, Object> object(JsonNode n) {
        return n == null || n.isNull() ? null : json.convertValue(n, MAP);
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>(n.size());
        n.forEach(v -> out.add(v.isNull() ? null : v.asText()));
        return out;
    }

    private List<Map<String, Object>> metadatas(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>(n.size());
        n.forEach(v -> out.add(object(v)));
        return out;
    }

    /** Embeddings as Chroma returns them from get: JSON arrays of numbers (or base64 float32 strings). */
    private static List<float[]> vectors(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<float[]> out = new ArrayList<>(n.size());
        for (JsonNode v : n) {
            if (v.isNull()) {
                out.add(null);
            } else if (v.isTextual()) {
                ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(v.asText())).order(ByteOrder.LITTLE_ENDIAN);
                float[] e = new float[b.remaining() / Float.BYTES];
                b.asFloatBuffer().get(e);
                out.add(e);
            } else {
                float[] e = new float[v.size()];
                for (int i = 0; i < e.length; i++) {
                    e[i] = v.get(i).floatValue();
                }
                out.add(e);
            }
        }
        return out;
    }

    private static String base64(float[] e) {
        ByteBuffer b = ByteBuffer.allocate(e.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(e);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
