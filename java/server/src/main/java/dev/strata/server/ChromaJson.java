package dev.strata.server;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.Database;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.Tenant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The api layer's values in Chroma's response shapes (field names and nulls as Chroma 1.x answers). */
final class ChromaJson {

    private ChromaJson() {}

    static Map<String, Object> tenant(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("resource_name", null);
        return m;
    }

    static Map<String, Object> database(Database d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id().toString());
        m.put("name", d.name());
        m.put("tenant", d.tenant());
        return m;
    }

    static Map<String, Object> collection(Collection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id().toString());
        m.put("name", c.name());
        CollectionConfiguration config = c.configuration();
        EmbeddingFunctionConfig ef = c.embeddingFunction();
        Map<String, Object> sections = config.toMap();
        // Chroma names both index sections, the one not in use as null.
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("hnsw", sections.get("hnsw"));
        configuration.put("spann", sections.get("spann"));
        configuration.put("embedding_function", ef == null ? null : ef.toMap());
        m.put("configuration_json", configuration);
        m.put("schema", c.schema().toMap(config, ef));
        m.put("metadata", c.metadata());
        m.put("dimension", c.dimension().isPresent() ? c.dimension().getAsInt() : null);
        m.put("tenant", c.tenant());
        m.put("database", c.database());
        m.put("log_position", 0);
        m.put("version", 0);
        return m;
    }

    static Map<String, Object> getResult(GetResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ids", r.ids());
        m.put("embeddings", r.embeddings());
        m.put("documents", r.documents());
        m.put("metadatas", r.metadatas());
        m.put("uris", r.uris());
        m.put("include", include(r.include()));
        return m;
    }

    /** In Chroma's canonical order, so answers do not depend on set iteration order. */
    private static List<String> include(Set<Include> include) {
        return java.util.Arrays.stream(Include.values()).filter(include::contains).map(Include::wireName).toList();
    }

    static Map<String, Object> error(String name, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", name);
        m.put("message", message);
        return m;
    }
}
