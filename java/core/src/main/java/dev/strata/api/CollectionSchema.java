package dev.strata.api;

import dev.strata.filter.MetadataFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A collection's schema in Chroma's shape: per value type ({@code string}, {@code int}, {@code float},
 * {@code bool}, {@code float_list}, {@code sparse_vector}) which indexes are enabled, as defaults and per
 * metadata key, with the reserved keys {@code #document} (full-text index) and {@code #embedding} (the
 * vector index).
 *
 * <p>What Strata honours: a disabled inverted index makes filters on that key and type an error (as in
 * Chroma), a disabled full-text index on {@code #document} makes {@code where_document} an error, and the
 * vector index's space and parameters become the collection's {@link CollectionConfiguration}. What it cannot
 * honour (sparse vector indexes, full-text indexes on metadata keys, vector indexes on other keys,
 * customer-managed keys) is refused with an {@link InvalidArgumentException} naming the field.
 *
 * <p>The vector index section is not kept here: it is rebuilt from the collection's configuration and
 * embedding function whenever the schema is shown ({@link #toMap}), so the two never disagree.
 */
public final class CollectionSchema {

    public static final String DOCUMENT_KEY = "#document";
    public static final String EMBEDDING_KEY = "#embedding";

    private static final String STRING = "string";
    private static final String INT = "int";
    private static final String FLOAT = "float";
    private static final String BOOL = "bool";
    private static final String FLOAT_LIST = "float_list";
    private static final String SPARSE_VECTOR = "sparse_vector";
    private static final String FTS = "fts_index";
    private static final String VECTOR = "vector_index";
    private static final String SPARSE = "sparse_vector_index";
    private static final String SOURCE_KEY = "source_key";

    /** Value type name -> the index names it may carry, in Chroma's order. */
    private static final Map<String, List<String>> INDEXES = orderedIndexes();

    private static final Set<String> VECTOR_CONFIG_FIELDS = Set.of("space", "embedding_function", SOURCE_KEY, "hnsw", "spann");

    /** defaults and keys without the vector index configs; immutable. */
    private final Map<String, Object> defaults;
    private final Map<String, Map<String, Object>> keys;
    /** What the given schema said about the vector index (its config), or null. */
    private final Map<String, Object> vectorConfig;

    private CollectionSchema(Map<String, Object> defaults, Map<String, Map<String, Object>> keys,
                             Map<String, Object> vectorConfig) {
        this.defaults = defaults;
        this.keys = keys;
        this.vectorConfig = vectorConfig;
    }

    private static Map<String, List<String>> orderedIndexes() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(STRING, List.of(FTS, "string_inverted_index"));
        m.put(FLOAT_LIST, List.of(VECTOR));
        m.put(SPARSE_VECTOR, List.of(SPARSE));
        m.put(INT, List.of("int_inverted_index"));
        m.put(FLOAT, List.of("float_inverted_index"));
        m.put(BOOL, List.of("bool_inverted_index"));
        return Collections.unmodifiableMap(m);
    }

    /** Chroma's default schema: every inverted index on, full-text search on {@code #document}, the vector index on {@code #embedding}. */
    public static CollectionSchema defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(STRING, types(index(FTS, false, Map.of()), index("string_inverted_index", true, Map.of())));
        defaults.put(FLOAT_LIST, types(index(VECTOR, false, Map.of())));
        Map<String, Object> sparseConfig = new LinkedHashMap<>();
        sparseConfig.put("embedding_function", Map.of("type", EmbeddingFunctionConfig.UNKNOWN));
        sparseConfig.put("bm25", false);
        defaults.put(SPARSE_VECTOR, types(index(SPARSE, false, sparseConfig)));
        defaults.put(INT, types(index("int_inverted_index", true, Map.of())));
        defaults.put(FLOAT, types(index("float_inverted_index", true, Map.of())));
        defaults.put(BOOL, types(index("bool_inverted_index", true, Map.of())));
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        keys.put(DOCUMENT_KEY, Map.of(STRING, types(index(FTS, true, Map.of()), index("string_inverted_index", false, Map.of()))));
        keys.put(EMBEDDING_KEY, Map.of(FLOAT_LIST, types(index(VECTOR, true, Map.of(SOURCE_KEY, DOCUMENT_KEY)))));
        return new CollectionSchema(freeze(defaults), freezeKeys(keys), null);
    }

    /**
     * A schema given at create, merged over the defaults (a value type's index given replaces the default's).
     *
     * @throws InvalidArgumentException naming the field, for a malformed schema or one Strata cannot honour
     */
    public static CollectionSchema fromMap(Map<String, ?> json) {
        if (json == null) {
            return defaults();
        }
        for (String field : json.keySet()) {
            switch (field) {
                case "defaults", "keys" -> { }
                case "cmek" -> {
                    if (json.get(field) != null) {
                        throw new InvalidArgumentException("schema.cmek: customer-managed encryption keys are not supported"
                                + " by Strata; encrypt the bucket instead (server-side encryption of the object store)");
                    }
                }
                default -> throw new InvalidArgumentException("schema." + field + ": unknown field; expected defaults, keys");
            }
        }
        CollectionSchema base = defaults();
        Map<String, Object> defaults = deepCopy(base.defaults);
        Map<String, Object> givenDefaults = object(json.get("defaults"), "schema.defaults");
        Map<String, Object> vectorConfig = null;
        if (givenDefaults != null) {
            vectorConfig = mergeValueTypes(defaults, givenDefaults, "schema.defaults", null);
        }
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        base.keys.forEach((k, v) -> keys.put(k, deepCopy(v)));
        Map<String, Object> givenKeys = object(json.get("keys"), "schema.keys");
        if (givenKeys != null) {
            for (Map.Entry<String, Object> e : givenKeys.entrySet()) {
                String key = e.getKey();
                String where = "schema.keys." + key;
                if (key.isEmpty()) {
                    throw new InvalidArgumentException("schema.keys: a key must not be empty");
                }
                if (key.startsWith("#") && !key.equals(DOCUMENT_KEY) && !key.equals(EMBEDDING_KEY)) {
                    throw new InvalidArgumentException(where + ": keys starting with '#' are reserved (" + DOCUMENT_KEY
                            + ", " + EMBEDDING_KEY + ")");
                }
                Map<String, Object> types = object(e.getValue(), where);
                Map<String, Object> target = keys.computeIfAbsent(key, k -> new LinkedHashMap<>());
                Map<String, Object> keyVector = mergeValueTypes(target, types == null ? Map.of() : types, where, key);
                if (keyVector != null) {
                    vectorConfig = keyVector;
                }
            }
        }
        return new CollectionSchema(freeze(defaults), freezeKeys(keys), vectorConfig == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(vectorConfig)));
    }

    /** Restores a schema stored by {@link #toStoredMap()}; null gives the defaults. */
    public static CollectionSchema fromStoredMap(Map<String, ?> stored) {
        return stored == null ? defaults() : fromMap(stored);
    }

    /**
     * Merges the given value types into {@code target}; returns the vector index config given, if any.
     *
     * @param key the metadata key these value types belong to, null for the defaults
     */
    private static Map<String, Object> mergeValueTypes(Map<String, Object> target, Map<String, Object> given, String where,
                                                       String key) {
        Map<String, Object> vectorConfig = null;
        for (Map.Entry<String, Object> t : given.entrySet()) {
            String type = t.getKey();
            String typeWhere = where + "." + type;
            List<String> allowed = INDEXES.get(type);
            if (allowed == null) {
                throw new InvalidArgumentException(typeWhere + ": unknown value type; expected one of " + INDEXES.keySet());
            }
            Map<String, Object> indexes = object(t.getValue(), typeWhere);
            if (indexes == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> targetType = (Map<String, Object>) target.computeIfAbsent(type, x -> new LinkedHashMap<>());
            for (Map.Entry<String, Object> i : indexes.entrySet()) {
                String indexWhere = typeWhere + "." + i.getKey();
                if (!allowed.contains(i.getKey())) {
                    throw new InvalidArgumentException(indexWhere + ": unknown index for " + type + "; expected " + allowed);
                }
                Map<String, Object> index = object(i.getValue(), indexWhere);
                if (index == null) {
                    continue;
                }
                for (String f : index.keySet()) {
                    if (!f.equals("enabled") && !f.equals("config")) {
                        throw new InvalidArgumentException(indexWhere + "." + f + ": unknown field; expected enabled, config");
                    }
                }
                if (!(index.get("enabled") instanceof Boolean enabled)) {
                    throw new InvalidArgumentException(indexWhere + ".enabled must be a boolean");
                }
                Map<String, Object> config = object(index.get("config"), indexWhere + ".config");
                config = config == null ? Map.of() : config;
                checkHonourable(i.getKey(), enabled, key, indexWhere);
                if (i.getKey().equals(VECTOR)) {
                    for (String f : config.keySet()) {
                        if (!VECTOR_CONFIG_FIELDS.contains(f)) {
                            throw new InvalidArgumentException(indexWhere + ".config." + f + ": unknown field; expected "
                                    + VECTOR_CONFIG_FIELDS);
                        }
                    }
                    if (key == null || key.equals(EMBEDDING_KEY)) {
                        vectorConfig = config;
                    }
                    Object source = config.get(SOURCE_KEY);
                    if (source != null && !(source instanceof String)) {
                        throw new InvalidArgumentException(indexWhere + ".config.source_key must be a string");
                    }
                    // Only where its embeddings come from is kept; the rest is the collection's configuration.
                    config = key == null || source == null ? Map.of() : Map.of(SOURCE_KEY, source);
                    if (key != null) {
                        enabled = true;
                    }
                }
                targetType.put(i.getKey(), index(i.getKey(), enabled, config).get(i.getKey()));
            }
        }
        return vectorConfig;
    }

    /** Refuses, naming the field, the indexes Strata has no way to build or honour. */
    private static void checkHonourable(String index, boolean enabled, String key, String where) {
        switch (index) {
            case SPARSE -> {
                if (enabled) {
                    throw new InvalidArgumentException(where + ": sparse vector indexes are not supported by Strata");
                }
            }
            case FTS -> {
                if (enabled && !DOCUMENT_KEY.equals(key)) {
                    throw new InvalidArgumentException(where + ": the full-text index can only be enabled on "
                            + DOCUMENT_KEY);
                }
            }
            case VECTOR -> {
                if (key != null && !key.equals(EMBEDDING_KEY)) {
                    throw new InvalidArgumentException(where + ": the vector index can only be configured on "
                            + EMBEDDING_KEY + " or in the defaults");
                }
                if (key != null && !enabled) {
                    throw new InvalidArgumentException(where + ": the vector index on " + EMBEDDING_KEY
                            + " cannot be disabled");
                }
            }
            default -> { } // inverted indexes: on or off, both honoured
        }
    }

    /**
     * The collection configuration (space and index parameters) the schema's vector index asks for, as Chroma's
     * configuration JSON ({@code {"hnsw": {"space": ..., ...}}}), or null when the schema leaves it to the
     * configuration or the defaults.
     */
    public Map<String, Object> vectorIndexConfiguration() {
        if (vectorConfig == null) {
            return null;
        }
        Object space = vectorConfig.get("space");
        Map<String, Object> hnsw = object(vectorConfig.get("hnsw"), "schema vector_index.config.hnsw");
        Map<String, Object> spann = object(vectorConfig.get("spann"), "schema vector_index.config.spann");
        if (hnsw != null && spann != null) {
            throw new InvalidArgumentException("schema vector_index.config: give either hnsw or spann, not both");
        }
        if (space == null && hnsw == null && spann == null) {
            return null;
        }
        String section = spann != null ? "spann" : "hnsw";
        Map<String, Object> params = new LinkedHashMap<>();
        if (space != null) {
            params.put("space", space);
        }
        Map<String, Object> given = spann != null ? spann : hnsw;
        if (given != null) {
            params.putAll(given);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(section, params);
        return out;
    }

    /** The collection configuration the schema's vector index asks for, or null (see {@link #vectorIndexConfiguration}). */
    public CollectionConfiguration configuration() {
        Map<String, Object> json = vectorIndexConfiguration();
        if (json == null) {
            return null;
        }
        try {
            return CollectionConfiguration.fromMap(json);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("schema vector_index.config: " + e.getMessage(), e);
        }
    }

    /**
     * The embedding function the schema's vector index names (on {@code #embedding}, else in the defaults): null
     * when it names none, and {@code legacy} when it names one explicitly null (as Chroma reads it).
     */
    public EmbeddingFunctionConfig embeddingFunction() {
        if (vectorConfig == null || !vectorConfig.containsKey("embedding_function")) {
            return null;
        }
        Object ef = vectorConfig.get("embedding_function");
        if (ef == null) {
            return EmbeddingFunctionConfig.legacy();
        }
        return EmbeddingFunctionConfig.fromMap(object(ef, "schema vector_index.config.embedding_function"),
                "schema vector_index.config.embedding_function");
    }

    /** True when the schema said something about the vector index's space or parameters. */
    public boolean configuresVectorIndex() {
        return vectorIndexConfiguration() != null;
    }

    /**
     * Checks a read or delete's filters against the indexes: a filter on a key whose inverted index of that
     * value type is disabled, or a document filter while the full-text index is disabled, is refused as Chroma
     * refuses it.
     */
    public void checkFilters(MetadataFilter where, boolean documentFilter) {
        if (documentFilter && !enabled(DOCUMENT_KEY, STRING, FTS)) {
            throw new InvalidArgumentException("Cannot filter using full-text search because FTS indexing is disabled");
        }
        if (where != null) {
            checkWhere(where);
        }
    }

    private void checkWhere(MetadataFilter f) {
        switch (f) {
            case MetadataFilter.And and -> and.clauses().forEach(this::checkWhere);
            case MetadataFilter.Or or -> or.clauses().forEach(this::checkWhere);
            case MetadataFilter.Compare c -> checkKey(c.key(), c.value());
            case MetadataFilter.Membership m -> checkKey(m.key(), m.values().isEmpty() ? null : m.values().getFirst());
            case MetadataFilter.ArrayContains a -> checkKey(a.key(), a.value());
        }
    }

    private void checkKey(String key, Object value) {
        String type = switch (value) {
            case String s -> STRING;
            case Boolean b -> BOOL;
            case Double d -> FLOAT;
            case Float x -> FLOAT;
            case Number n -> INT;
            case null, default -> null;
        };
        if (type != null && !enabled(key, type, INDEXES.get(type).getLast())) {
            throw new InvalidArgumentException("Cannot filter using metadata key '" + key + "' with type '"
                    + typeName(type) + "' because indexing is disabled");
        }
    }

    private static String typeName(String type) {
        return switch (type) {
            case STRING -> "Str";
            case INT -> "Int";
            case FLOAT -> "Float";
            case BOOL -> "Bool";
            default -> type;
        };
    }

    /** Whether the index is enabled for the key: its own entry when it has one, else the defaults'. */
    private boolean enabled(String key, String type, String index) {
        Map<String, Object> own = keys.get(key);
        Boolean e = own == null ? null : enabledIn(own, type, index);
        if (e == null) {
            e = enabledIn(defaults, type, index);
        }
        return e == null || e;
    }

    @SuppressWarnings("unchecked")
    private static Boolean enabledIn(Map<String, Object> types, String type, String index) {
        if (types.get(type) instanceof Map<?, ?> t && t.get(index) instanceof Map<?, ?> i && i.get("enabled") instanceof Boolean b) {
            return b;
        }
        return null;
    }

    /** What the catalog keeps: the schema without its vector index parameters (they live in the configuration). */
    public Map<String, Object> toStoredMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaults", deepCopy(defaults));
        Map<String, Object> k = new LinkedHashMap<>();
        keys.forEach((name, types) -> k.put(name, deepCopy(types)));
        out.put("keys", k);
        return out;
    }

    /**
     * Chroma's JSON shape, with the vector index's config built from the collection's configuration and embedding
     * function (null: none).
     */
    public Map<String, Object> toMap(CollectionConfiguration configuration, EmbeddingFunctionConfig embeddingFunction) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> d = deepCopy(defaults);
        setVectorConfig(d, vectorIndexJson(configuration, embeddingFunction, null));
        out.put("defaults", d);
        Map<String, Object> k = new LinkedHashMap<>();
        keys.forEach((name, types) -> {
            Map<String, Object> copy = deepCopy(types);
            if (name.equals(EMBEDDING_KEY)) {
                setVectorConfig(copy, vectorIndexJson(configuration, embeddingFunction, sourceKey()));
            }
            k.put(name, copy);
        });
        out.put("keys", k);
        return out;
    }

    private String sourceKey() {
        Map<String, Object> own = keys.get(EMBEDDING_KEY);
        if (own != null && own.get(FLOAT_LIST) instanceof Map<?, ?> t && t.get(VECTOR) instanceof Map<?, ?> i
                && i.get("config") instanceof Map<?, ?> c && c.get(SOURCE_KEY) instanceof String s) {
            return s;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void setVectorConfig(Map<String, Object> types, Map<String, Object> config) {
        if (types.get(FLOAT_LIST) instanceof Map<?, ?> t && t.get(VECTOR) instanceof Map<?, ?> i) {
            Map<String, Object> index = new LinkedHashMap<>((Map<String, Object>) i);
            index.put("config", config);
            ((Map<String, Object>) t).put(VECTOR, index);
        }
    }

    /** The vector index's config as Chroma shows it: space, embedding function, source key, then the index section. */
    private static Map<String, Object> vectorIndexJson(CollectionConfiguration configuration,
                                                       EmbeddingFunctionConfig embeddingFunction, String sourceKey) {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> sections = new LinkedHashMap<>();
        Object space = null;
        if (configuration.isSpann()) {
            space = configuration.spann().space().wireName();
            sections.put("spann", configuration.spann().toIndexConfigMap());
        }
        for (Map.Entry<String, Object> e : configuration.isSpann() ? Map.<String, Object>of().entrySet()
                : configuration.toMap().entrySet()) {
            if (e.getValue() instanceof Map<?, ?> section) {
                Map<String, Object> params = new LinkedHashMap<>();
                section.forEach((k, v) -> params.put((String) k, v));
                if (space == null) {
                    space = params.get("space");
                }
                params.remove("space");
                if (e.getKey().equals("hnsw")) {
                    params.put("num_threads", configuration.numThreads());
                    params.put("batch_size", configuration.batchSize());
                }
                sections.put(e.getKey(), params);
            }
        }
        if (space != null) {
            config.put("space", space);
        }
        if (embeddingFunction != null) {
            config.put("embedding_function", embeddingFunction.toMap());
        }
        if (sourceKey != null) {
            config.put(SOURCE_KEY, sourceKey);
        }
        config.putAll(sections);
        return config;
    }

    // ---- JSON helpers

    private static Map<String, Object> types(Map<String, Object>... indexes) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map<String, Object> i : indexes) {
            m.putAll(i);
        }
        return m;
    }

    private static Map<String, Object> index(String name, boolean enabled, Map<String, Object> config) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("enabled", enabled);
        index.put("config", new LinkedHashMap<>(config));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name, index);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String where) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw new InvalidArgumentException(where + ": keys must be strings");
                }
            }
            return (Map<String, Object>) m;
        }
        throw new InvalidArgumentException(where + " must be an object, got " + v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? deepCopy((Map<String, ?>) inner)
                : v instanceof List<?> l ? new ArrayList<>(l) : v));
        return out;
    }

    private static Map<String, Object> freeze(Map<String, Object> m) {
        return Collections.unmodifiableMap(deepCopy(m));
    }

    private static Map<String, Map<String, Object>> freezeKeys(Map<String, Map<String, Object>> keys) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        keys.forEach((k, v) -> out.put(k, freeze(v)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionSchema s && defaults.equals(s.defaults) && keys.equals(s.keys);
    }

    @Override
    public int hashCode() {
        return defaults.hashCode() * 31 + keys.hashCode();
    }

    @Override
    public String toString() {
        return "CollectionSchema" + toStoredMap();
    }
}
