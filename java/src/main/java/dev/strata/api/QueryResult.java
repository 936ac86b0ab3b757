package dev.strata.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a query in Chroma's shape: one inner list per query embedding, nearest first. A field
 * not in include is null. Distances are l2 = squared Euclidean, ip = 1 - dot, cosine = 1 - cosine.
 */
public record QueryResult(
        List<List<String>> ids,
        List<List<float[]>> embeddings,
        List<List<String>> documents,
        List<List<Map<String, Object>>> metadatas,
        List<List<Float>> distances,
        List<List<String>> uris,
        Set<Include> include) {}
