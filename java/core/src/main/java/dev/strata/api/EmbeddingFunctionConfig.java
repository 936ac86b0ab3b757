package dev.strata.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedding function a collection was created with, as Chroma's clients describe it: {@code
 * {"type":"known","name":"openai","config":{...}}}, {@code {"type":"legacy"}} (a function the client cannot
 * describe) or {@code {"type":"unknown"}}. Strata never runs it: it stores the description and gives it back,
 * so a client that opens the collection later rebuilds the same function.
 *
 * @param type   "known", "legacy" or "unknown"
 * @param name   the registered name of a known function; null otherwise
 * @param config the known function's own configuration (any JSON value); null otherwise
 */
public record EmbeddingFunctionConfig(String type, String name, Object config) {

    public static final String KNOWN = "known";
    public static final String LEGACY = "legacy";
    public static final String UNKNOWN = "unknown";

    public EmbeddingFunctionConfig {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case KNOWN -> {
                if (name == null || name.isEmpty()) {
                    throw new InvalidArgumentException("embedding_function of type \"known\" needs a \"name\"");
                }
            }
            case LEGACY, UNKNOWN -> {
                name = null;
                config = null;
            }
            default -> throw new InvalidArgumentException("embedding_function.type must be \"known\", \"legacy\" or"
                    + " \"unknown\", got \"" + type + "\"");
        }
    }

    public static EmbeddingFunctionConfig known(String name, Map<String, ?> config) {
        return new EmbeddingFunctionConfig(KNOWN, name, config == null ? Map.of() : config);
    }

    public static EmbeddingFunctionConfig legacy() {
        return new EmbeddingFunctionConfig(LEGACY, null, null);
    }

    /**
     * From Chroma's JSON shape; null for null. Fields other than type, name and config are ignored, as Chroma's
     * server ignores them.
     *
     * @param field what the map is called in the request, for the error message
     */
    public static EmbeddingFunctionConfig fromMap(Map<String, ?> json, String field) {
        if (json == null) {
            return null;
        }
        Object type = json.get("type");
        if (!(type instanceof String t)) {
            throw new InvalidArgumentException(field + ".type must be \"known\", \"legacy\" or \"unknown\", got " + type);
        }
        if (!t.equals(KNOWN)) {
            try {
                return new EmbeddingFunctionConfig(t, null, null);
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException(field + ".type must be \"known\", \"legacy\" or \"unknown\", got \"" + t + "\"");
            }
        }
        if (!(json.get("name") instanceof String name) || name.isEmpty()) {
            throw new InvalidArgumentException(field + ".name must be a non-empty string for a \"known\" embedding function");
        }
        if (!json.containsKey("config")) {
            throw new InvalidArgumentException(field + ".config is required for a \"known\" embedding function");
        }
        return new EmbeddingFunctionConfig(KNOWN, name, json.get("config"));
    }

    /** Chroma's JSON shape. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (type.equals(KNOWN)) {
            m.put("name", name);
            m.put("config", config);
        }
        return m;
    }
}
