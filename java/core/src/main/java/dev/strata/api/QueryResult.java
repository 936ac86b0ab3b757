package dev.strata.api;

import dev.strata.segment.Record;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
        Set<Include> include) {

    /**
     * The result of a query from, per query embedding, its records nearest first and their distances,
     * with the columns include asks for.
     */
    public static QueryResult of(List<List<Record>> records, List<List<Float>> distances, Set<Include> include) {
        return new QueryResult(columns(records, Record::id),
                include.contains(Include.EMBEDDINGS) ? columns(records, r -> GetResult.copy(r.embedding())) : null,
                include.contains(Include.DOCUMENTS) ? columns(records, Record::document) : null,
                include.contains(Include.METADATAS) ? columns(records, Record::metadata) : null,
                include.contains(Include.DISTANCES) ? List.copyOf(distances.stream().map(List::copyOf).toList()) : null,
                include.contains(Include.URIS) ? columns(records, Record::uri) : null,
                include);
    }

    private static <R> List<List<R>> columns(List<List<Record>> rows, Function<Record, R> field) {
        return rows.stream().map(row -> GetResult.column(row, field)).toList();
    }
}
