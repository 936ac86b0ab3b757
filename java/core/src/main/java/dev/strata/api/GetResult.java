package dev.strata.api;

import dev.strata.segment.Record;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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

    /** The result holding these records, in this order, with the columns include asks for. */
    public static GetResult of(List<Record> records, Set<Include> include) {
        return new GetResult(records.stream().map(Record::id).toList(),
                include.contains(Include.EMBEDDINGS) ? column(records, r -> copy(r.embedding())) : null,
                include.contains(Include.DOCUMENTS) ? column(records, Record::document) : null,
                include.contains(Include.METADATAS) ? column(records, Record::metadata) : null,
                include.contains(Include.URIS) ? column(records, Record::uri) : null,
                include);
    }

    static float[] copy(float[] embedding) {
        return embedding == null ? null : embedding.clone();
    }

    // Columns may hold nulls (a record without a document), which Stream.toList allows.
    static <T, R> List<R> column(List<T> rows, Function<T, R> field) {
        Object[] column = new Object[rows.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = field.apply(rows.get(i));
        }
        @SuppressWarnings("unchecked")
        List<R> values = (List<R>) Arrays.asList(column);
        return Collections.unmodifiableList(values);
    }
}
