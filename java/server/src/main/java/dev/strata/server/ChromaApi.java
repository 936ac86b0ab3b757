package dev.strata.server;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.CollectionSchema;
import dev.strata.api.CollectionSpec;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.ConfigurationUpdate;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.NotFoundException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import io.micrometer.core.instrument.Timer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Chroma's v2 routes, each mapping its JSON to one call of the embedded API and the result back.
 * Paths and shapes follow chroma 1.x (rust/frontend/src/server.rs) as called by chromadb@3.5.0.
 */
final class ChromaApi {

    private static final String V2 = "/api/v2";
    private static final String TENANT = V2 + "/tenants/{tenant}";
    private static final String DATABASE = TENANT + "/databases/{database}";
    private static final String COLLECTIONS = DATABASE + "/collections";
    private static final String COLLECTION = COLLECTIONS + "/{collection}";

    private static final Set<String> NAME_FIELDS = Set.of("name");
    private static final Set<String> CREATE_COLLECTION_FIELDS = Set.of("name", "configuration", "metadata", "get_or_create", "schema");
    private static final Set<String> MODIFY_FIELDS = Set.of("new_name", "new_metadata", "new_configuration");
    private static final Set<String> RECORD_FIELDS = Set.of("ids", "embeddings", "documents", "metadatas", "uris");
    private static final Set<String> DELETE_FIELDS = Set.of("ids", "where", "where_document", "limit");
    private static final Set<String> GET_FIELDS = Set.of("ids", "where", "where_document", "include", "limit", "offset", "read_level");
    private static final Set<String> QUERY_FIELDS = Set.of("ids", "where", "where_document", "include", "n_results",
            "query_embeddings", "read_level");

    private final Strata strata;
    private final ServerOptions options;
    private final Timer queryParse;
    private final Timer queryConvert;

    ChromaApi(Strata strata, ServerOptions options, HttpMetrics metrics) {
        this.strata = strata;
        this.options = options;
        this.queryParse = metrics.queryStage("parse");
        this.queryConvert = metrics.queryStage("convert");
    }

    void register(Router r) {
        r.addOpen("GET", V2, call -> heartbeat());
        r.addOpen("GET", V2 + "/heartbeat", call -> heartbeat());
        r.addOpen("GET", V2 + "/version", call -> HttpAnswer.ok(options.version()));
        r.addOpen("GET", V2 + "/healthcheck", call -> healthcheck());
        r.addOpen("GET", V2 + "/pre-flight-checks", call -> HttpAnswer.ok(Map.of(
                "max_batch_size", options.maxBatchSize(), "supports_base64_encoding", true)));
        r.add("GET", V2 + "/auth/identity", this::identity);

        r.add("POST", V2 + "/tenants", this::createTenant);
        r.add("GET", TENANT, call -> HttpAnswer.ok(ChromaJson.tenant(chromaNotFound(() -> strata.getTenant(call.param("tenant")),
                "Tenant [" + call.param("tenant") + "] not found"))));
        r.add("PATCH", TENANT, call -> {
            throw HttpError.unimplemented("Updating a tenant is not supported by Strata");
        });

        r.add("GET", TENANT + "/databases", call -> HttpAnswer.ok(strata.listDatabases(call.param("tenant"),
                call.queryInt("limit"), orZero(call.queryInt("offset"))).stream().map(ChromaJson::database).toList()));
        r.add("POST", TENANT + "/databases", this::createDatabase);
        r.add("GET", DATABASE, call -> HttpAnswer.ok(ChromaJson.database(chromaNotFound(() -> database(call),
                "Database [" + call.param("database") + "] not found."))));
        r.add("DELETE", DATABASE, call -> {
            strata.deleteDatabase(call.param("tenant"), call.param("database"));
            return HttpAnswer.emptyOk();
        });

        r.add("GET", COLLECTIONS, call -> HttpAnswer.ok(database(call).listCollections(call.queryInt("limit"),
                orZero(call.queryInt("offset"))).stream().map(ChromaJson::collection).toList()));
        r.add("POST", COLLECTIONS, this::createCollection);
        r.add("GET", DATABASE + "/collections_count", call -> HttpAnswer.ok(database(call).countCollections()));
        r.add("GET", COLLECTIONS + "/by-id/{collection}", call -> HttpAnswer.ok(ChromaJson.collection(byId(call))));
        r.add("GET", V2 + "/collections/{crn}", this::collectionByCrn);
        // As in Chroma: GET and DELETE address a collection by name, PUT and the record routes by UUID.
        r.add("GET", COLLECTION, this::collectionByName);
        r.add("DELETE", COLLECTION, call -> {
            database(call).deleteCollection(call.param("collection"));
            return HttpAnswer.emptyOk();
        });
        r.add("PUT", COLLECTION, this::modifyCollection);

        r.add("POST", COLLECTION + "/add", call -> {
            byId(call).add(records(call));
            return HttpAnswer.created();
        });
        r.add("POST", COLLECTION + "/upsert", call -> {
            byId(call).upsert(records(call));
            return HttpAnswer.emptyOk();
        });
        r.add("POST", COLLECTION + "/update", call -> {
            byId(call).update(records(call));
            return HttpAnswer.emptyOk();
        });
        r.addRead("POST", COLLECTION + "/delete", this::delete);
        r.addRead("GET", COLLECTION + "/count", call -> HttpAnswer.ok(byId(call).count()));
        r.addRead("POST", COLLECTION + "/get", this::get);
        r.addRead("POST", COLLECTION + "/query", this::query);
        new LifecycleRoutes(strata, options, this::byId).register(r, V2, COLLECTION);
        r.add("POST", COLLECTION + "/search", call -> {
            throw HttpError.unimplemented("The search API is unsupported for single-node Strata; use query");
        });
    }

    private static HttpAnswer heartbeat() {
        // Chroma's heartbeat is a wall-clock nanosecond timestamp, not a monotonic one.
        java.time.Instant now = java.time.Instant.now();
        return HttpAnswer.ok(Map.of("nanosecond heartbeat", now.getEpochSecond() * 1_000_000_000L + now.getNano()));
    }

    private HttpAnswer healthcheck() {
        strata.getTenant(Strata.DEFAULT_TENANT);
        return HttpAnswer.ok(Map.of("is_executor_ready", true, "is_log_client_ready", true));
    }

    private HttpAnswer identity(HttpCall call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", "");
        m.put("tenant", call.boundTenant() != null ? call.boundTenant() : Strata.DEFAULT_TENANT);
        m.put("databases", List.of(Strata.DEFAULT_DATABASE));
        return HttpAnswer.ok(m);
    }

    private HttpAnswer createTenant(HttpCall call) {
        String name = call.json(NAME_FIELDS).requiredString("name");
        if (call.boundTenant() != null && !call.boundTenant().equals(name)) {
            throw HttpError.forbidden("This token is bound to tenant " + call.boundTenant() + " and cannot create tenant " + name);
        }
        strata.createTenant(name);
        return HttpAnswer.emptyOk();
    }

    private HttpAnswer createDatabase(HttpCall call) {
        strata.createDatabase(call.param("tenant"), call.json(NAME_FIELDS).requiredString("name"));
        return HttpAnswer.emptyOk();
    }

    private HttpAnswer createCollection(HttpCall call) {
        JsonBody body = call.json(CREATE_COLLECTION_FIELDS);
        String name = body.requiredString("name");
        Map<String, Object> metadata = body.object("metadata");
        Map<String, Object> configurationJson = body.object("configuration");
        boolean getOrCreate = Boolean.TRUE.equals(body.bool("get_or_create"));
        CollectionSchema schema = body.has("schema") ? CollectionSchema.fromMap(body.object("schema")) : null;
        CollectionSpec spec = new CollectionSpec(metadata, configuration(configurationJson),
                embeddingFunction(configurationJson, "configuration.embedding_function"), schema);
        Database db = database(call);
        Collection c = getOrCreate ? db.getOrCreateCollection(name, spec) : db.createCollection(name, spec);
        return HttpAnswer.ok(ChromaJson.collection(c));
    }

    /** Null (so that legacy hnsw:* metadata keys apply) unless an "hnsw" or "spann" section is given; checked either way. */
    private static CollectionConfiguration configuration(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        CollectionConfiguration parsed = CollectionConfiguration.fromMap(json);
        return json.get("hnsw") == null && json.get("spann") == null ? null : parsed;
    }

    /** The embedding function a configuration object carries, or null (absent or JSON null). */
    @SuppressWarnings("unchecked")
    private static EmbeddingFunctionConfig embeddingFunction(Map<String, Object> configuration, String field) {
        Object ef = configuration == null ? null : configuration.get("embedding_function");
        if (ef == null) {
            return null;
        }
        if (!(ef instanceof Map<?, ?> m)) {
            throw HttpError.unprocessable("Invalid type for \"" + field + "\": expected an object");
        }
        try {
            return EmbeddingFunctionConfig.fromMap((Map<String, ?>) m, field);
        } catch (dev.strata.api.InvalidArgumentException e) {
            // A shape Chroma's serde refuses (unknown type, missing name): 422, as Chroma answers.
            throw HttpError.unprocessable(e.getMessage());
        }
    }

    /**
     * The lookup's result, or its 404 in Chroma's words: Spring AI's Chroma store compares the message to decide that
     * it must create the tenant, database or collection.
     */
    private static <T> T chromaNotFound(java.util.function.Supplier<T> lookup, String message) {
        try {
            return lookup.get();
        } catch (NotFoundException e) {
            throw new NotFoundException(message, e);
        }
    }

    /**
     * A collection by name. Whatever is missing (tenant, database or collection), the 404 says so in Chroma 1.0's
     * words, which Spring AI's Chroma store matches to decide that it must create the collection.
     */
    private HttpAnswer collectionByName(HttpCall call) {
        String name = call.param("collection");
        return HttpAnswer.ok(ChromaJson.collection(chromaNotFound(() -> database(call).getCollection(name),
                "Collection [" + name + "] does not exists")));
    }

    private HttpAnswer collectionByCrn(HttpCall call) {
        String[] parts = call.param("crn").split(":", -1);
        if (parts.length != 3) {
            throw HttpError.badRequest("Invalid collection resource name \"" + call.param("crn")
                    + "\"; expected <tenant>:<database>:<collection>");
        }
        checkTenant(call, parts[0]);
        return HttpAnswer.ok(ChromaJson.collection(strata.getDatabase(parts[0], parts[1]).getCollection(parts[2])));
    }

    private HttpAnswer modifyCollection(HttpCall call) {
        JsonBody body = call.json(MODIFY_FIELDS);
        String newName = body.string("new_name");
        Map<String, Object> newMetadata = body.object("new_metadata");
        Map<String, Object> newConfiguration = body.object("new_configuration");
        Collection c = byId(call);
        c.modify(newName, newMetadata, newConfiguration == null ? null : ConfigurationUpdate.fromMap(newConfiguration),
                embeddingFunction(newConfiguration, "new_configuration.embedding_function"));
        return HttpAnswer.emptyOk();
    }

    private static RecordSet records(HttpCall call) {
        JsonBody body = call.jsonWithEmbeddings(RECORD_FIELDS, Set.of("embeddings"));
        if (!body.has("ids")) {
            throw HttpError.unprocessable("Missing field \"ids\" in the request body");
        }
        return new RecordSet(body.strings("ids"), body.embeddings("embeddings"), body.strings("documents"),
                body.objects("metadatas"), body.strings("uris"));
    }

    private HttpAnswer delete(HttpCall call) {
        JsonBody body = call.json(DELETE_FIELDS);
        List<String> ids = body.strings("ids");
        Where where = where(body);
        WhereDocument whereDocument = whereDocument(body);
        Integer limit = body.unsignedInt("limit");
        Collection c = byId(call);
        DeleteRequest request = new DeleteRequest(ids, where, whereDocument);
        if (limit != null) {
            if (where == null && whereDocument == null) {
                throw new dev.strata.api.InvalidArgumentException("limit can only be given with a where or where_document clause");
            }
            // The embedded API deletes every match; a limited delete picks its ids first.
            List<String> picked = c.get(new GetRequest(ids, where, whereDocument, limit, 0, EnumSet.noneOf(Include.class))).ids();
            if (picked.isEmpty()) {
                return HttpAnswer.ok(Map.of("deleted", 0));
            }
            request = new DeleteRequest(picked, null, null);
        }
        return HttpAnswer.ok(Map.of("deleted", c.delete(request)));
    }

    private HttpAnswer get(HttpCall call) {
        JsonBody body = call.json(GET_FIELDS);
        GetRequest request = new GetRequest(body.strings("ids"), where(body), whereDocument(body), body.unsignedInt("limit"),
                orZero(body.unsignedInt("offset")), include(body));
        return HttpAnswer.ok(ChromaJson.getResult(byId(call).get(request)));
    }

    private HttpAnswer query(HttpCall call) {
        long start = System.nanoTime();
        JsonBody body = call.jsonWithEmbeddings(QUERY_FIELDS, Set.of("query_embeddings"));
        if (!body.has("query_embeddings")) {
            throw HttpError.unprocessable("Missing field \"query_embeddings\" in the request body");
        }
        Integer nResults = body.unsignedInt("n_results");
        QueryRequest request = new QueryRequest(body.embeddings("query_embeddings"),
                nResults == null ? QueryRequest.DEFAULT_N_RESULTS : nResults, body.strings("ids"), where(body),
                whereDocument(body), include(body));
        Collection collection = byId(call);
        long parsed = System.nanoTime();
        queryParse.record(parsed - start, TimeUnit.NANOSECONDS);
        QueryResult result = collection.query(request);
        long queried = System.nanoTime();
        Object answer = new QueryAnswerJson(result); // written as it is serialized: the write stage
        queryConvert.record(System.nanoTime() - queried, TimeUnit.NANOSECONDS);
        return HttpAnswer.ok(answer);
    }

    private static Where where(JsonBody body) {
        Map<String, Object> m = body.filter("where", "where clause");
        return m == null || m.isEmpty() ? null : Where.parse(m);
    }

    private static WhereDocument whereDocument(JsonBody body) {
        Map<String, Object> m = body.filter("where_document", "where document clause");
        return m == null || m.isEmpty() ? null : WhereDocument.parse(m);
    }

    /** Null (the route's default) when absent; unknown names are the api's InvalidArgumentException. */
    private static Set<Include> include(JsonBody body) {
        List<String> names = body.strings("include");
        if (names == null) {
            return null;
        }
        Set<Include> out = EnumSet.noneOf(Include.class);
        for (String n : names) {
            out.add(Include.fromWireName(n));
        }
        return out;
    }

    private Database database(HttpCall call) {
        return strata.getDatabase(call.param("tenant"), call.param("database"));
    }

    /**
     * The collection a record route names by UUID, looked up by id (no scan of the database's collections). An id
     * of another database or tenant is a 404 NotFoundError, as an unknown id is: the URL's database decides.
     */
    Collection byId(HttpCall call) {
        String text = call.param("collection");
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Invalid collection id \"" + text + "\": expected a UUID");
        }
        return database(call).getCollection(id);
    }

    private static void checkTenant(HttpCall call, String tenant) {
        if (call.boundTenant() != null && !call.boundTenant().equals(tenant)) {
            throw HttpError.forbidden("This token is bound to tenant " + call.boundTenant() + ", not " + tenant);
        }
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
