package dev.strata.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records returned by get or peek, as parallel lists in Chroma's shape. A field not in include is
 * null; an element is null when that record has no value for the field.
 */
public record GetResult(
        List<String> ids,
        List<float[]> embeddings,
        List<String> documents,
        List<Map<String, Object>> metadatas,
        List<String> uris,
        Set<Include> include) {

    public int size() {
        return ids.size();
    }
}
