package dev.strata.api;

import dev.strata.segment.Record;
import java.util.ArrayList;
import java.util.Collections;
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
        float[][] unboxed = new float[distances.size()][];
        for (int i = 0; i < unboxed.length; i++) {
            List<Float> row = distances.get(i);
            unboxed[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                unboxed[i][j] = row.get(j);
            }
        }
        return of(records, unboxed, include);
    }

    /**
     * As {@link #of(List, List, Set)} with each query's distances unboxed, as the engine finds them: the answer's
     * distance lists read the arrays (which the caller hands over) without boxing them.
     */
    public static QueryResult of(List<List<Record>> records, float[][] distances, Set<Include> include) {
        List<List<Float>> distanceLists = null;
        if (include.contains(Include.DISTANCES)) {
            List<Float>[] rows = new FloatList[distances.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new FloatList(distances[i]);
            }
            distanceLists = List.of(rows);
        }
        return new QueryResult(columns(records, Record::id),
                include.contains(Include.EMBEDDINGS) ? columns(records, r -> GetResult.copy(r.embedding())) : null,
                include.contains(Include.DOCUMENTS) ? columns(records, Record::document) : null,
                include.contains(Include.METADATAS) ? columns(records, Record::metadata) : null,
                distanceLists,
                include.contains(Include.URIS) ? columns(records, Record::uri) : null,
                include);
    }

    private static <R> List<List<R>> columns(List<List<Record>> rows, Function<Record, R> field) {
        List<List<R>> out = new ArrayList<>(rows.size());
        for (List<Record> row : rows) {
            out.add(GetResult.column(row, field));
        }
        return Collections.unmodifiableList(out);
    }
}
